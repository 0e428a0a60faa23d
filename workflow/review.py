"""The review services (三审): sign a stage (签发), send a piece back (退回). The admin's
buttons and the tests call these; the rules they apply are in ``workflow.stages``."""

from django.db import transaction
from django.utils import timezone

from . import notify, revisions, stages
from .errors import NotPermitted, TransitionNotAllowed, WorkflowError
from .models import ReviewStage, Revision, SignOff, Status
from .transitions import apply_transition


def _lock(piece):
    return type(piece)._default_manager.select_for_update().get(pk=piece.pk)


def _ensure_in_review(piece, verb: str) -> None:
    if piece.status != Status.REVIEW:
        raise TransitionNotAllowed(
            f"{stages.describe(piece)}当前是“{Status(piece.status).label}”，不能{verb}："
            f"只有“待审”的{piece._meta.verbose_name}可以{verb}（请先提交审核）。"
        )


def _ensure_member(user, stage: ReviewStage, verb: str) -> None:
    if not stages.may_sign(user, stage):
        raise NotPermitted(
            f"用户 {user.get_username()} 不在“{stage.group}”组，不能{verb}{stage}："
            f"{stage}由{stage.group}签发。"
        )


def sign_off(
    piece,
    *,
    stage: ReviewStage,
    by,
    opinion: str = "",
    version: int | None = None,
    read: str | None = None,
):
    """签发 ``stage`` of ``piece`` as ``by`` with the 审稿意见 ``opinion``; returns the
    sign-off. ``version`` and ``read`` (the ``stages.fingerprint`` of its parts): what
    the reviewer read (the admin's page), refused if the piece or a part of it (an
    issue's article) changed since. The group of the next stage is told by e-mail."""
    with transaction.atomic():
        locked = _lock(piece)
        _ensure_in_review(locked, "签发")
        if version is not None and version != locked.version:
            raise WorkflowError(
                f"{stages.describe(locked)}在您打开审稿页之后已修改（第 {version} 版 → "
                f"第 {locked.version} 版）。请重新阅读最新版本后再签发。"
            )
        parts = stages.covered_parts(locked)
        if read is not None and read != stages.fingerprint(parts):
            raise WorkflowError(
                f"{stages.describe(locked)}的内容在您打开审稿页之后已修改。"
                "请重新阅读最新版本后再签发。"
            )
        waiting = stages.current_stage(locked)
        if waiting is None:
            raise TransitionNotAllowed(f"{stages.describe(locked)}的各审级都已签发，等待发布。")
        if stage.pk != waiting.pk:
            raise TransitionNotAllowed(
                f"不能签发{stage}：{stages.describe(locked)}正在{waiting}，各审级须依次签发。"
            )
        _ensure_member(by, stage, "签发")
        if not stages.same_signer_allowed():
            other = stages.counted(locked).filter(user=by).exclude(stage=stage).first()
            if other is not None:
                raise NotPermitted(
                    f"{by.get_username()} 已签发本{locked._meta.verbose_name}的{other.stage}，"
                    f"同一人不能签发同一稿件的两个审级，{stage}须由另一位{stage.group}签发。"
                )
        signed = SignOff.objects.create(
            piece=locked,
            stage=stage,
            user=by,
            at=timezone.now(),
            opinion=opinion,
            version=locked.version,
            fingerprint=stages.fingerprint(parts),
            covered=parts,
        )
    notify.stage_reached(locked, stages.current_stage(locked))
    return signed


def send_back(piece, *, by, opinion: str):
    """退回: a reviewer of the stage ``piece`` waits for sends it back to 草稿 with
    comments. Recorded as a returned sign-off and a workflow step; the version moves,
    so every earlier sign-off is void and the piece passes all stages again."""
    if not opinion.strip():
        raise WorkflowError("退回须填写审稿意见，说明要修改什么。")
    with transaction.atomic():
        locked = _lock(piece)
        _ensure_in_review(locked, "退回")
        stage = stages.current_stage(locked)
        if stage is None:
            raise TransitionNotAllowed(
                f"{stages.describe(locked)}的各审级都已签发；如需修改，请由主编退回草稿。"
            )
        _ensure_member(by, stage, "退回")
        returned = SignOff.objects.create(
            piece=locked,
            stage=stage,
            user=by,
            kind=SignOff.Kind.RETURNED,
            at=timezone.now(),
            opinion=opinion,
            version=locked.version,
        )
        if isinstance(locked, Revision):
            revisions.to_draft(locked, by=by)
        else:
            apply_transition(piece, "redraft", by=by, note=f"{stage}退回：{opinion}")
    return returned
