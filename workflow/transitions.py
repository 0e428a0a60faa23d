"""The editorial workflow shared by issues and articles: which transitions exist, who may
make them, and how one is applied and recorded.

    草稿 ──提交审核──▶ 待审 ──发布──▶ 已发布 ──撤回──▶ 已撤回
      ▲                 │                              │
      └────退回草稿─────┴──────────────────────────────┘

and 改期: a scheduled publication (已发布, time still ahead) gets another time. The
publication time is set only by 发布 and 改期, never typed into a form.

Submitting and returning to draft need the model's change permission (编辑); publishing
and withdrawing need ``publish_<model>`` (主编). ``by=None`` is the system operator — a
command run without ``--user`` by someone who already has the server's shell — and is
allowed everything the states allow.

The services (``issues.services``, ``articles.services``) are the only callers; the admin,
the commands and the tests go through them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from . import notify, stages
from .errors import NotPermitted, PublicationBlocked, TransitionNotAllowed, WorkflowError
from .models import Publishable, Status

__all__ = [
    "NotPermitted",
    "PublicationBlocked",
    "TransitionNotAllowed",
    "WorkflowError",
    "apply_transition",
]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the verb on the button: 发布
    sources: frozenset[str]
    target: str
    needs_publish_permission: bool
    hint: str = ""
    only_scheduled: bool = False  # 改期: only before the publication time has come

    def permission(self, model) -> str:
        opts = model._meta
        action = "publish" if self.needs_publish_permission else "change"
        return f"{opts.app_label}.{action}_{opts.model_name}"


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("submit", "提交审核", frozenset({Status.DRAFT}), Status.REVIEW, False),
        Transition(
            "publish",
            "发布",
            frozenset({Status.REVIEW}),
            Status.PUBLISHED,
            True,
            hint="请先提交审核",
        ),
        Transition("withdraw", "撤回", frozenset({Status.PUBLISHED}), Status.WITHDRAWN, True),
        Transition(
            "reschedule",
            "改期",
            frozenset({Status.PUBLISHED}),
            Status.PUBLISHED,
            True,
            only_scheduled=True,
        ),
        Transition(
            "redraft",
            "退回草稿",
            frozenset({Status.REVIEW, Status.WITHDRAWN}),
            Status.DRAFT,
            False,
        ),
    ]
}


def describe(obj) -> str:
    return f"{obj._meta.verbose_name}“{obj}”"


def may(user, transition: Transition, model) -> bool:
    """Whether ``user`` (None: the system operator) may make ``transition`` on ``model``."""
    if user is None:
        return True
    return user.is_active and user.has_perm(transition.permission(model))


def ensure_permitted(obj, transition: Transition, by) -> None:
    if not may(by, transition, type(obj)):
        who = by.get_username()
        role = "只有主编可以发布或撤回。" if transition.needs_publish_permission else ""
        raise NotPermitted(
            f"用户 {who} 没有{transition.label}{obj._meta.verbose_name}的权限。{role}"
        )


def ensure_allowed(obj, transition: Transition) -> None:
    if transition.only_scheduled and obj.status in transition.sources and not obj.is_scheduled:
        raise TransitionNotAllowed(
            f"{describe(obj)}已经公开，不能{transition.label}："
            f"只有定时发布、尚未到发布时间的{obj._meta.verbose_name}可以{transition.label}。"
        )
    if obj.status not in transition.sources:
        allowed = "、".join(f"“{Status(s).label}”" for s in sorted(transition.sources))
        hint = f"（{transition.hint}）" if transition.hint else ""
        raise TransitionNotAllowed(
            f"{describe(obj)}当前是“{Status(obj.status).label}”，不能{transition.label}："
            f"只有{allowed}状态的{obj._meta.verbose_name}可以{transition.label}{hint}。"
        )


def available_transitions(obj, user) -> list[Transition]:
    """The steps ``user`` may take on ``obj`` now: the admin's buttons."""
    return [
        t
        for t in TRANSITIONS.values()
        if obj.status in t.sources
        and (obj.is_scheduled or not t.only_scheduled)
        and may(user, t, type(obj))
    ]


def save_step(obj: Publishable, *, by, reason: str) -> None:
    """Save a workflow step's change to ``obj``: its version bumped (an editor holding
    the form opened before gets a conflict), the history row credited to ``by`` with
    ``reason``."""
    obj.version += 1
    if by is not None:
        obj._history_user = by
    obj._change_reason = reason
    obj.save()


def apply_transition(
    obj: Publishable,
    name: str,
    *,
    by,
    note: str = "",
    publish_at=None,
    before: Callable[[Publishable], None] | None = None,
):
    """Move ``obj`` along transition ``name`` and record it; returns the event.

    The row is locked and its state re-read first, so two people pressing 发布 at once
    make one transition, not two. ``before(locked_obj)`` may refuse by raising (the
    pre-publication check). The version is bumped: an editor who opened the form before
    the transition gets a conflict instead of silently saving over it.
    """
    transition = TRANSITIONS[name]
    ensure_permitted(obj, transition, by)
    if transition.only_scheduled and publish_at is None:
        raise WorkflowError(f"{transition.label}需要新的发布时间。")
    with transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        ensure_allowed(locked, transition)
        if before is not None:
            before(locked)
        if transition.name == "publish":
            # 三审: every stage signed for this very version (a change voids a sign-off).
            stages.ensure_signed(locked)
        source = locked.status
        locked.status = transition.target
        if transition.target == Status.PUBLISHED:
            locked.published_at = publish_at or timezone.now()
        signed_version = locked.version
        save_step(locked, by=by, reason=transition.label + (f"：{note}" if note else ""))
        if transition.name == "publish":
            stages.mark_published(locked, signed_version=signed_version)
        event = locked.events.create(
            from_status=source,
            to_status=transition.target,
            user=by,
            at=timezone.now(),
            note=note,
            publish_at=locked.published_at if transition.target == Status.PUBLISHED else None,
        )
    for field in ("status", "published_at", "version", "updated_at"):
        setattr(obj, field, getattr(locked, field))
    if transition.target == Status.REVIEW:
        notify.stage_reached(obj, stages.current_stage(obj))
    return event
