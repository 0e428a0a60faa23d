"""The 历史 page's "what changed" column (simple-history) as an editor reads it: rich text
without its HTML, times in Beijing time in Chinese, choices by their label, nothing shown
as "None"."""

import datetime

from django.utils import timezone
from simple_history.template_utils import HistoricalRecordContextHelper

from .revisions import readable

EMPTY = "（空）"


def display_value(field, value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, str):
        return readable(value) or EMPTY
    return str(value)


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        return display_value(self.model._meta.get_field(change.field), prepared)
