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
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from . import notify, stages
from .errors import NotPermitted, TransitionNotAllowed, WorkflowError
from .history import EMPTY, display_value
from .models import Revision, Status, claim_version
from .transitions import describe, save_step

# --- what a revision holds ----------------------------------------------------------------


def supports_revisions(model) -> bool:
    return bool(getattr(model, "revision_fields", None))


def field_value(obj, name):
    """``obj``'s ``name`` as JSON keeps it: dates and times as ISO text, a file by its
    stored name, a foreign key by its id, a many-to-many set by its sorted ids."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return sorted(related.pk for related in getattr(obj, name).all()) if obj.pk else []
    value = field.value_from_object(obj)
    if isinstance(field, models.FileField):
        return value.name or ""
    return field.value_to_string(obj) if hasattr(value, "isoformat") else value


def snapshot(obj) -> dict:
    """The content of ``obj`` as saved in a revision: JSON-able values by field name (a
    foreign key by its id), and the rows of each related set (with their ids, so that
    the admin's inline forms find the same rows each time the revision is laid over)."""
    fields = {name: field_value(obj, name) for name in obj.revision_fields}
    relations = {}
    for accessor, names in getattr(obj, "revision_relations", {}).items():
        manager = getattr(obj, accessor)
        rows = list(manager.all())  # a prefetched set is read from memory
        many = [n for n in names if manager.model._meta.get_field(n).many_to_many]
        prefetch_related_objects(rows, *many)
        relations[accessor] = [row_snapshot(row, names) for row in rows]
    return {"fields": fields, "relations": relations}


def row_snapshot(row, names) -> dict:
    return {"pk": row.pk, **{name: field_value(row, name) for name in names}}


def apply(obj, data: dict) -> None:
    """Write the fields of ``data`` onto ``obj`` (not saved)."""
    for name, value in data["fields"].items():
        field = obj._meta.get_field(name)
        if isinstance(field, models.FileField):
            setattr(obj, field.attname, value or "")
            continue
        setattr(obj, field.attname, field.to_python(value) if value is not None else None)


def apply_relations(obj, data: dict) -> None:
    """Make ``obj``'s related rows those of ``data``: rows kept by id are updated, the
    others deleted, new ones created (with the id the revision gave them, if free). A
    relation ``data`` does not hold (an old version whose rows were not recorded) stays
    as it is."""
    for accessor, rows in data["relations"].items():
        if rows is None:
            continue
        manager = getattr(obj, accessor)
        model = manager.model
        keep = {row["pk"] for row in rows if row.get("pk") is not None}
        for row in manager.exclude(pk__in=keep):
            row.delete()
        for row in rows:
            values, sets = {}, {}
            for name, value in row.items():
                if name == "pk":
                    continue
                field = model._meta.get_field(name)
                if field.many_to_many:
                    sets[name] = value or []
                else:
                    values[field.attname] = value
            existing = manager.filter(pk=row.get("pk")).first() if row.get("pk") else None
            if existing is not None:
                for attname, value in values.items():
                    setattr(existing, attname, value)
                existing.save()
            elif row.get("pk") and not model._default_manager.filter(pk=row["pk"]).exists():
                existing = manager.create(pk=row["pk"], **values)
            else:
                existing = manager.create(**values)
            for name, ids in sets.items():
                getattr(existing, name).set(ids)


# --- comparing: character by character, no HTML ------------------------------------------


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
    return display_value(model._meta.get_field(name), value)


def _rows_text(model, names, rows) -> str:
    """One line per row, its fields in the declared order (JSONB reorders a dict's keys);
    the position only orders the lines."""
    lines = []
    for row in rows:
        shown = (_display(model, n, row.get(n)) for n in names if n != "position")
        lines.append(" ".join(t for t in shown if t and t != EMPTY))
    return "\n".join(lines)


def compare(model, old: dict, new: dict) -> list[FieldDiff]:
    """What changed between two snapshots of ``model``, field by field, changed ones
    only. A related set one of them did not record (an old version from the 历史) is
    left out rather than shown as emptied."""
    diffs = []
    for name in model.revision_fields:
        label = str(model._meta.get_field(name).verbose_name)
        a = _display(model, name, old["fields"].get(name))
        b = _display(model, name, new["fields"].get(name))
        diffs.append(FieldDiff(label, char_diff(a, b)))
    for accessor, names in getattr(model, "revision_relations", {}).items():
        a_rows, b_rows = old["relations"].get(accessor), new["relations"].get(accessor)
        if a_rows is None or b_rows is None:
            continue
        related = model._meta.get_field(accessor).related_model
        label = str(related._meta.verbose_name_plural)
        a = _rows_text(related, names, a_rows)
        b = _rows_text(related, names, b_rows)
        diffs.append(FieldDiff(label, char_diff(a, b)))
    return [d for d in diffs if d.changed]


# --- the steps of a revision ----------------------------------------------------------------


def pending(piece) -> Revision | None:
    return Revision.objects.of(piece).pending().first()


class RevisionConflict(WorkflowError):
    """The 修改稿 was saved by someone else since this editor opened it."""


def conflict_message(piece, revision: Revision | None) -> str:
    """What the second of two editors of the same 修改稿 reads: who saved it first, when."""
    if revision is None:
        return (
            f"保存失败：在您打开此页之后，《{piece}》的修改稿已有变动（已被他人保存或发布）。"
            "您的修改没有保存。请重新打开本页，在最新内容上再修改。"
        )
    user = revision.updated_by
    name = (user.get_full_name() or user.get_username()) if user else "其他人"
    when = timezone.localtime(revision.updated_at).strftime("%Y-%m-%d %H:%M")
    return (
        f"保存失败：在您打开此页之后，《{piece}》的修改稿已被修改"
        f"（{name} 于 {when} 保存，现为第 {revision.version} 版）。"
        "您的修改没有保存，先保存的内容已保留。"
        "请复制您要保留的文字，重新打开本页，在最新内容上再修改。"
    )


def save_draft(piece, data: dict, *, by, expected: int | None = None) -> Revision:
    """Keep ``data`` as the draft of changes to the live ``piece``: the pending revision
    updated (its version moved: earlier sign-offs void; back to 草稿 if it was in review),
    or a new one. ``expected``: the version of the revision the editor started from (0:
    none), refused with :class:`RevisionConflict` if another save came first."""
    with transaction.atomic():
        revision = Revision.objects.of(piece).pending().select_for_update().first()
        if expected is not None and (revision.version if revision else 0) != expected:
            raise RevisionConflict(conflict_message(piece, revision))
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


def restore_draft(piece, data: dict, *, by, expected: int, reason: str) -> None:
    """An old version back onto ``piece`` while readers do not see it (a draft): its
    version moves (sign-offs void; :class:`~workflow.models.EditConflict` if it is not
    ``expected`` any more), the 历史 records ``reason``. Live content is never restored
    here: it gets a 修改稿 (:func:`save_draft`)."""
    with transaction.atomic():
        claim_version(piece, expected)
        apply(piece, data)
        piece._history_user = by
        piece._change_reason = reason
        piece.save()
        apply_relations(piece, data)


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
