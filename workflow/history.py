"""Values as an editor reads them, wherever versions are compared: the 历史 page's "what
changed" column (simple-history) and the comparisons of 修改稿 and old versions. Rich
text without its HTML (``richtext.html_to_text``, one line per paragraph), times in
Beijing time in Chinese, choices by their label, foreign keys by their name, nothing
shown as "None"."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.template_utils import HistoricalRecordContextHelper

from richtext.text import html_to_text

EMPTY = "（空）"
_DATE_FIELDS = (models.DateField, models.TimeField)  # DateTimeField is a DateField

# Where a paragraph of rich text ends: the comparison keeps one line per paragraph, so
# that a change reads in its place rather than somewhere in one long line.
_PARAGRAPH_END = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|figcaption|tr|div)\s*>|<br\s*/?>", re.IGNORECASE
)


def readable(value) -> str:
    """Text as a reader reads it: tags gone, entities decoded, one line per paragraph."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    lines = (html_to_text(part) for part in _PARAGRAPH_END.split(str(value)))
    return "\n".join(line for line in lines if line)


def display_value(field, value) -> str:
    """``value`` of ``field`` as an editor reads it. Strings the database or a snapshot
    keeps for dates and times (ISO, UTC) are read as the field reads them first."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, str) and isinstance(field, _DATE_FIELDS):
        try:
            value = field.to_python(value)
        except ValidationError:  # an unparsable value is shown as it is
            return value
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return _related_name(field, value)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, str):
        return readable(value) or EMPTY
    return str(value)


def _related_name(field, value) -> str:
    """A foreign key (an id, or the object) or a many-to-many set (ids) by name."""
    model = field.remote_field.model
    if isinstance(value, model):
        return str(value)
    ids = value if isinstance(value, (list, tuple)) else [value]
    ids = [getattr(v, "pk", v) for v in ids]
    found = model._default_manager.in_bulk(ids)
    names = [str(found[i]) if i in found else f"（已删除：{i}）" for i in ids]
    return "、".join(names) or EMPTY


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        return display_value(self.model._meta.get_field(change.field), prepared)
