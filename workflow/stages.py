"""三审: the review stages a piece (an article, an issue) passes before it is published,
and the rules read from its sign-offs.

- The stages (``ReviewStage``: 初审, 复审, 终审 by default) are signed in order, each by a
  member of its group.
- A sign-off counts for the version it signed (the piece's ``version``, the one its
  optimistic locking moves): any change after it — an edit, a return (退回) — voids it.
- By default one person cannot sign two stages of the same piece
  (``JCZX_REVIEW_ALLOW_SAME_SIGNER`` allows it).
- Publishing needs every stage signed for the current version; the sign-offs it used
  are marked with the version publishing gave the piece, so that they keep counting for
  the published version (the 审稿单, the admin's list) until it changes again.

Pure rules on the models: the services that write sign-offs are in ``workflow.review``.
"""

import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .errors import PublicationBlocked
from .models import ReviewStage, SignOff


def all_stages() -> list[ReviewStage]:
    return list(ReviewStage.objects.select_related("group"))


def describe(piece) -> str:
    return f"{piece._meta.verbose_name}“{piece}”"


def _digest(content) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def covered_parts(piece) -> dict:
    """What a sign-off of ``piece`` covers besides its own row, part by part:
    ``{key: {"label": …, "hash": …}}``, from the piece's ``review_parts()`` (an issue:
    its own content and each article readers will see with it); empty for a piece
    whose version alone says what was signed (an article, a 修改稿)."""
    parts = getattr(piece, "review_parts", None)
    if parts is None:
        return {}
    return {
        key: {"label": label, "hash": _digest(content)} for key, (label, content) in parts().items()
    }


def fingerprint(parts: dict) -> str:
    return _digest({key: part["hash"] for key, part in parts.items()}) if parts else ""


def counted(piece, *, parts: dict | None = None):
    """The sign-offs that count for ``piece`` as it is now: signed at its current version
    (and, for a piece with parts, with the same content of every part), or used to
    publish the version it has now."""
    signed = SignOff.objects.of(piece).signed()
    if parts is None:
        if not signed.exists():
            # Nothing signed, nothing to weigh: an issue's parts (a snapshot of every
            # article) are costly, and every save of an article asks about its issue.
            return signed.none()
        parts = covered_parts(piece)
    current = Q(version=piece.version, fingerprint=fingerprint(parts))
    return signed.filter(current | Q(published_version=piece.version)).select_related(
        "stage", "user"
    )


def changed_parts(sign_off: SignOff, parts: dict) -> list[str]:
    """What changed since ``sign_off``, part by part: "文章《…》已修改", "…已撤回或移出
    本期", "…已加入本期"."""
    before = sign_off.covered or {}
    changes = []
    for key, part in before.items():
        if key not in parts:
            changes.append(f"{part['label']}已撤回或移出本期")
        elif parts[key]["hash"] != part["hash"]:
            changes.append(f"{parts[key]['label']}已修改")
    changes += [f"{part['label']}已加入本期" for key, part in parts.items() if key not in before]
    return changes


@dataclass
class StageState:
    stage: ReviewStage
    sign_off: SignOff | None  # the one that counts now
    voided: SignOff | None  # the latest one that no longer counts, if none counts
    parts: dict  # what a sign-off now would cover (``covered_parts``)

    @property
    def signed(self) -> bool:
        return self.sign_off is not None


def review_state(piece) -> list[StageState]:
    """Each stage with the sign-off counting for ``piece`` now, or the latest voided."""
    parts = covered_parts(piece)
    current = {s.stage_id: s for s in counted(piece, parts=parts)}
    latest = {}
    for sign_off in SignOff.objects.of(piece).signed().select_related("user"):
        latest[sign_off.stage_id] = sign_off  # ordered by time: the last one stays
    return [
        StageState(
            stage,
            current.get(stage.pk),
            None if stage.pk in current else latest.get(stage.pk),
            parts,
        )
        for stage in all_stages()
    ]


def current_stage(piece) -> ReviewStage | None:
    """The first stage not signed for ``piece``'s current version, or None when all are
    (or the piece is not in review)."""
    if piece.status != "review":
        return None
    for state in review_state(piece):
        if not state.signed:
            return state.stage
    return None


def voided_message(state: StageState, piece) -> str:
    s = state.voided
    when = timezone.localtime(s.at).strftime("%Y-%m-%d %H:%M")
    kind = piece._meta.verbose_name
    if s.version == piece.version and not s.covered and state.parts:
        # Signed before sign-offs recorded what they covered: what was read is unknown.
        return (
            f"{state.stage}：{s.user_label} 于 {when} 的签发没有记录所签的文章内容，"
            f"无法确认与现在的{kind}一致，须重新{state.stage}"
        )
    if s.version == piece.version:
        changed = "、".join(changed_parts(s, state.parts)) or f"本{kind}的内容已修改"
        return (
            f"{state.stage}：{s.user_label} 于 {when} 签发之后，{changed}，"
            f"签发已失效，须重新{state.stage}"
        )
    return (
        f"{state.stage}：{s.user_label} 于 {when} 签发的是第 {s.version} 版，"
        f"之后{kind}已修改（现为第 {piece.version} 版），"
        f"签发已失效，须重新{state.stage}"
    )


def ensure_signed(piece) -> None:
    """Refuse to publish ``piece`` unless every stage is signed for its current version."""
    states = review_state(piece)
    if not states:
        # No stage defined would mean no review at all: never silently.
        raise PublicationBlocked(
            f"{describe(piece)}不能发布：", ["没有设置审级（编辑流程 › 审级），无法审稿"]
        )
    problems = []
    for state in states:
        if state.sign_off is not None and state.sign_off.version == piece.version:
            continue
        if state.voided is not None:
            problems.append(voided_message(state, piece))
        else:
            problems.append(f"{state.stage}尚未签发（由{state.stage.group}签发）")
    if problems:
        raise PublicationBlocked(f"{describe(piece)}未完成审稿，不能发布：", problems)


def mark_published(piece, *, signed_version: int) -> None:
    """After publishing moved ``piece`` from ``signed_version`` to its current version:
    the sign-offs of ``signed_version`` count for the published version."""
    SignOff.objects.of(piece).signed().filter(version=signed_version).update(
        published_version=piece.version
    )


def may_sign(user, stage: ReviewStage) -> bool:
    if user is None or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(pk=stage.group_id).exists()


def same_signer_allowed() -> bool:
    return getattr(settings, "JCZX_REVIEW_ALLOW_SAME_SIGNER", False)
