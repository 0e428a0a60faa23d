"""修改稿 (Wagtail's draft revisions) for live content: what a revision holds, how it is
compared with the live version, and its steps — save, 提交审核, publish.

A model opts in by naming what a correction may change:

- ``revision_fields``: its content fields;
- ``revision_relations``: related rows kept with it, ``{accessor: [field, …]}`` (an
  article's bylines), replaced as a whole when the revision is published.

Editing a live piece in the admin writes a revision instead of the live row
(``WorkflowAdmin``); readers keep seeing the live version until the revision has passed
every review stage (``workflow.stages``, its own sign-offs) and is published.
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import notify, stages
from .errors import NotPermitted, TransitionNotAllowed
from .models import Revision, Status
from .transitions import describe, save_step

# --- what a revision holds ----------------------------------------------------------------


def supports_revisions(model) -> bool:
    return bool(getattr(model, "revision_fields", None))


def _field_value(obj, name):
    field = obj._meta.get_field(name)
    value = field.value_from_object(obj)
    return field.value_to_string(obj) if hasattr(value, "isoformat") else value


def snapshot(obj) -> dict:
    """The content of ``obj`` as saved in a revision: JSON-able values by field name (a
    foreign key by its id), and the rows of each related set (with their ids, so that
    the admin's inline forms find the same rows each time the revision is laid over)."""
    fields = {name: _field_value(obj, name) for name in obj.revision_fields}
    relations = {}
    for accessor, names in getattr(obj, "revision_relations", {}).items():
        rows = getattr(obj, accessor).all()
        relations[accessor] = [
            {"pk": row.pk, **{name: _field_value(row, name) for name in names}} for row in rows
        ]
    return {"fields": fields, "relations": relations}


def apply(obj, data: dict) -> None:
    """Write the fields of ``data`` onto ``obj`` (not saved)."""
    for name, value in data["fields"].items():
        field = obj._meta.get_field(name)
        setattr(obj, field.attname, field.to_python(value) if value is not None else None)


def apply_relations(obj, data: dict) -> None:
    """Make ``obj``'s related rows those of ``data``: rows kept by id are updated, the
    others deleted, new ones created (with the id the revision gave them, if free)."""
    for accessor, rows in data["relations"].items():
        manager = getattr(obj, accessor)
        model = manager.model
        keep = {row["pk"] for row in rows if row.get("pk") is not None}
        for row in manager.exclude(pk__in=keep):
            row.delete()
        for row in rows:
            values = {}
            for name, value in row.items():
                if name != "pk":
                    values[model._meta.get_field(name).attname] = value
            existing = manager.filter(pk=row.get("pk")).first() if row.get("pk") else None
            if existing is not None:
                for attname, value in values.items():
                    setattr(existing, attname, value)
                existing.save()
            elif row.get("pk") and not model._default_manager.filter(pk=row["pk"]).exists():
                manager.create(pk=row["pk"], **values)
            else:
                manager.create(**values)


# --- comparing: character by character, no HTML ------------------------------------------

_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def readable(value) -> str:
    """Text as a reader reads it: tags gone, entities decoded, one line per paragraph."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    text = _TAG.sub("", _BLOCK_END.sub("\n", str(value)))
    lines = (" ".join(line.split()) for line in html.unescape(text).split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass
class FieldDiff:
    label: str
    parts: list[tuple[str, str]]  # ("equal" | "delete" | "insert", text)

    @property
    def changed(self) -> bool:
        return any(kind != "equal" for kind, _ in self.parts)


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Character by character (Chinese has no spaces to split words on)."""
    parts = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("equal", old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(("delete", old[a1:a2]))
        if b2 > b1:
            parts.append(("insert", new[b1:b2]))
    return parts


def _display(model, name, value) -> str:
    field = model._meta.get_field(name)
    if field.is_relation and value is not None:
        target = field.remote_field.model._default_manager.filter(pk=value).first()
        return str(target) if target is not None else f"（已删除：{value}）"
    if field.choices and value is not None:
        return str(dict(field.flatchoices).get(value, value))
    return readable(value)


def _rows_text(model, rows) -> str:
    lines = []
    for row in rows:
        shown = (_display(model, n, v) for n, v in row.items() if n != "pk")
        lines.append(" ".join(t for t in shown if t))
    return "\n".join(lines)


def compare(model, old: dict, new: dict) -> list[FieldDiff]:
    """What changed between two snapshots of ``model``, field by field, changed ones only."""
    diffs = []
    for name in model.revision_fields:
        label = str(model._meta.get_field(name).verbose_name)
        a = _display(model, name, old["fields"].get(name))
        b = _display(model, name, new["fields"].get(name))
        diffs.append(FieldDiff(label, char_diff(a, b)))
    for accessor in getattr(model, "revision_relations", {}):
        related = model._meta.get_field(accessor).related_model
        label = str(related._meta.verbose_name_plural)
        a = _rows_text(related, old["relations"].get(accessor, []))
        b = _rows_text(related, new["relations"].get(accessor, []))
        diffs.append(FieldDiff(label, char_diff(a, b)))
    return [d for d in diffs if d.changed]


# --- the steps of a revision ----------------------------------------------------------------


def pending(piece) -> Revision | None:
    return Revision.objects.of(piece).pending().first()


def save_draft(piece, data: dict, *, by) -> Revision:
    """Keep ``data`` as the draft of changes to the live ``piece``: the pending revision
    updated (its version moved: earlier sign-offs void; back to 草稿 if it was in review),
    or a new one."""
    with transaction.atomic():
        revision = Revision.objects.of(piece).pending().select_for_update().first()
        now = timezone.now()
        if revision is None:
            return Revision.objects.create(
                piece=piece,
                data=data,
                base_version=piece.version,
                created_by=by,
                updated_by=by,
                created_at=now,
                updated_at=now,
            )
        revision.data = data
        revision.version += 1
        revision.status = Status.DRAFT
        revision.updated_by, revision.updated_at = by, now
        revision.save()
        return revision


def _ensure(revision, status: str, verb: str) -> None:
    if revision.status != status:
        raise TransitionNotAllowed(
            f"{describe(revision)}当前是“{Status(revision.status).label}”，不能{verb}。"
        )


def _ensure_perm(user, piece, action: str, verb: str) -> None:
    opts = piece._meta
    if user is not None and not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        role = "只有主编可以发布修改。" if action == "publish" else ""
        raise NotPermitted(f"用户 {user.get_username()} 没有{verb}的权限。{role}")


def submit(revision, *, by) -> Revision:
    """草稿 → 待审: the first stage's group is told."""
    _ensure_perm(by, revision.piece, "change", "提交修改审核")
    with transaction.atomic():
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        _ensure(locked, Status.DRAFT, "提交审核")
        locked.status = Status.REVIEW
        locked.save(update_fields=["status"])
    revision.status = locked.status
    notify.stage_reached(locked, stages.current_stage(locked))
    return locked


def to_draft(revision, *, by, note: str = "") -> Revision:
    """待审 → 草稿 (a reviewer's 退回): the version moves, its sign-offs are void."""
    locked = Revision.objects.select_for_update().get(pk=revision.pk)
    _ensure(locked, Status.REVIEW, "退回")
    locked.status = Status.DRAFT
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "version", "updated_at"])
    return locked


def publish(revision, *, by) -> Revision:
    """The revision, signed at every stage, becomes the live version: its content is
    written onto the piece (bylines replaced), recorded in the piece's history and
    workflow record. Refused if the live version changed since the revision began."""
    piece = revision.piece
    _ensure_perm(by, piece, "publish", "发布修改")
    with transaction.atomic():
        locked = Revision.objects.select_for_update().get(pk=revision.pk)
        _ensure(locked, Status.REVIEW, "发布")
        stages.ensure_signed(locked)
        live = type(piece)._default_manager.select_for_update().get(pk=piece.pk)
        if live.version != locked.base_version:
            raise TransitionNotAllowed(
                f"{describe(live)}在修改稿创建之后已被改动（第 {locked.base_version} 版 → "
                f"第 {live.version} 版），不能直接发布此修改稿：请对照最新版本重新修改。"
            )
        apply(live, locked.data)
        save_step(live, by=by, reason="发布修改稿（已三审）")
        apply_relations(live, locked.data)
        live.events.create(
            from_status=live.status,
            to_status=live.status,
            user=by,
            at=timezone.now(),
            note="发布修改稿（已三审）",
        )
        signed_version = locked.version
        locked.status = Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        stages.mark_published(locked, signed_version=signed_version)
    return locked
