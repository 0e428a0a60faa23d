"""E-mail to the group that signs a stage when a piece reaches it (提交审核, or the
stage before it signed). Django's mail, configured from ``EMAIL_URL``."""

from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse


def admin_path(piece) -> str:
    piece = getattr(piece, "admin_piece", piece)  # a revision: its live piece's page
    opts = piece._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[piece.pk])
    except NoReverseMatch:
        return ""


def stage_reached(piece, stage) -> int:
    """Tell the members of ``stage``'s group that ``piece`` waits for them; returns how
    many were written to. Nothing when no stage waits (all signed, none defined)."""
    if stage is None:
        return 0
    recipients = sorted(
        stage.group.user_set.filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    what = f"{piece._meta.verbose_name}“{piece}”"
    body = (
        f"{what}已到{stage}，等待{stage.group}签发（第 {piece.version} 版）。\n\n"
        f"请在后台打开：{admin_path(piece)}\n"
        "签发或退回都在该页右上方；您的待办也列在后台首页的“我的待办”中。\n"
    )
    return send_mail(f"【待{stage}】{what}", body, None, recipients)
