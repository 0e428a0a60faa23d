"""Every version of a piece an editor can compare or bring back: the live one, its
pending 修改稿, the 修改稿 published before, and each record of its 历史
(simple-history). Each as a snapshot (``workflow.revisions.snapshot``'s shape), so any
two compare the same way (``revisions.compare``) and any one can become a new 修改稿.

A 历史 record holds the piece's own fields. Its related rows come back only where they
have a history of their own (本期导读); a set without one (bylines, 编委会, 工作动态 with
their people) is ``None``: left out of comparisons, and kept as it is now on a restore.
"""

from dataclasses import dataclass

from django.utils import timezone

from . import revisions
from .models import Revision, Status


@dataclass
class Version:
    key: str  # "live", "draft", "rev-<pk>", "hist-<history_id>"
    label: str
    data: dict


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "系统"


def versions(piece) -> list[Version]:
    """Newest first: the pending 修改稿, the live version, published 修改稿, 历史."""
    live_label = "当前发布版本" if piece.is_released else "当前版本"
    found = [Version("live", live_label, revisions.snapshot(piece))]
    if revisions.supports_revisions(type(piece)):
        for revision in Revision.objects.of(piece).select_related("updated_by"):
            if revision.status == Status.PUBLISHED:
                label = (
                    f"已发布的修改稿（{_when(revision.published_at)} 发布，"
                    f"{_name(revision.updated_by)} 修改）"
                )
                found.append(Version(f"rev-{revision.pk}", label, revision.data))
            else:
                label = (
                    f"修改稿第 {revision.version} 版（{revision.get_status_display()}，"
                    f"{_name(revision.updated_by)} 于 {_when(revision.updated_at)} 保存）"
                )
                found.insert(0, Version("draft", label, revision.data))
    records = piece.history.select_related("history_user").order_by("-history_date")
    for record in records[:200]:
        reason = f" · {record.history_change_reason}" if record.history_change_reason else ""
        label = f"历史：{_when(record.history_date)} {_name(record.history_user)}{reason}"
        found.append(Version(f"hist-{record.history_id}", label, _from_history(piece, record)))
    return found


def _from_history(piece, record) -> dict:
    instance = record.instance
    fields = {name: revisions.field_value(instance, name) for name in piece.revision_fields}
    relations = {}
    for accessor, names in getattr(piece, "revision_relations", {}).items():
        related = piece._meta.get_field(accessor)
        model = related.related_model
        has_history = hasattr(model, "history") and not any(
            model._meta.get_field(n).many_to_many for n in names
        )
        if not has_history:
            relations[accessor] = None
            continue
        rows = model.history.as_of(record.history_date).filter(**{related.field.attname: piece.pk})
        rows = sorted(rows, key=lambda row: (row.position, row.pk))
        relations[accessor] = [revisions.row_snapshot(row, names) for row in rows]
    return {"fields": fields, "relations": relations}


def find(piece, key: str) -> Version | None:
    return next((v for v in versions(piece) if v.key == key), None)


def restorable(piece, version: Version) -> dict:
    """``version``'s content as a whole 修改稿: a related set it did not record is kept as
    the live piece has it now."""
    live = revisions.snapshot(piece)
    relations = {
        accessor: rows if rows is not None else live["relations"][accessor]
        for accessor, rows in version.data["relations"].items()
    }
    return {"fields": {**live["fields"], **version.data["fields"]}, "relations": relations}
