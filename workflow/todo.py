"""我的待办: what waits for the user on the admin index — the pieces in review whose
stage the user's group signs, and, for who may publish them, those with every stage
signed. Every Publishable model is asked, so workflow needs no list of them."""

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from . import stages
from .models import Publishable, Revision, SignOff

TODO_LIST_LENGTH = 50


def reviewable_models():
    """Every Publishable model, and the revisions (修改稿) of live pieces."""
    return [m for m in apps.get_models() if issubclass(m, Publishable)] + [Revision]


def _admin_url(piece) -> str:
    piece = getattr(piece, "admin_piece", piece)
    opts = piece._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[piece.pk])
    except NoReverseMatch:
        return ""


def _row(piece, label: str) -> dict:
    kind = piece._meta.verbose_name
    return {"piece": piece, "kind": kind, "label": label, "url": _admin_url(piece)}


def todo_for(user) -> list[dict]:
    """Rows ``{piece, kind, label, url}``: 待<stage> or 待发布, oldest first."""
    all_stages = stages.all_stages()
    mine = {s.pk for s in all_stages if stages.may_sign(user, s)}
    rows = []
    for model in reviewable_models():
        opts = model._meta
        if model is not Revision and not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        may_publish = model is Revision or user.has_perm(
            f"{opts.app_label}.publish_{opts.model_name}"
        )
        pieces = list(model._default_manager.awaiting_review().order_by("updated_at"))
        if not pieces:
            continue
        versions = {p.pk: p.version for p in pieces}
        signed = {}
        records = SignOff.objects.of_model(model).signed().filter(object_id__in=versions)
        if hasattr(model, "review_parts"):
            # Its sign-offs cover more than its row (an issue: its articles): asked one by
            # one, so an article edited after the 终审 does not show the issue as 待发布.
            for piece in pieces:
                signed[piece.pk] = {s.stage_id for s in stages.counted(piece)}
            records = records.none()
        for object_id, stage_id, version in records.values_list("object_id", "stage_id", "version"):
            if versions[object_id] == version:
                signed.setdefault(object_id, set()).add(stage_id)
        for piece in pieces:
            if model is Revision:
                live = piece.piece
                live_opts = live._meta
                if not user.has_perm(f"{live_opts.app_label}.view_{live_opts.model_name}"):
                    continue
                may_publish = user.has_perm(f"{live_opts.app_label}.publish_{live_opts.model_name}")
            waiting = next((s for s in all_stages if s.pk not in signed.get(piece.pk, ())), None)
            if waiting is not None and waiting.pk in mine:
                rows.append(_row(piece, f"待{waiting}"))
            elif waiting is None and may_publish:
                rows.append(_row(piece, "待发布"))
    return rows


def todo_panel(user) -> dict | None:
    if not user.is_staff:
        return None
    rows = todo_for(user)
    return {"todo_total": len(rows), "todo_rows": rows[:TODO_LIST_LENGTH]}
