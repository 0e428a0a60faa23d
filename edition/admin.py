"""电子版 in the issue's admin, added through ``issues.adminhooks`` in
``EditionConfig.ready()``: what the field 电子版 says, told by the task records the worker
keeps (``django_tasks_db``), and 重新生成电子版, on the list of issues and on an issue's
page, for whoever may change issues."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from issues.models import EditionState, Issue

from .services import pages_made
from .tasks import edition_rerender, render_issue_pages

RERENDER = "重新生成电子版"
STOPPED_ADVICE = (
    f"请点击“{RERENDER}”；如仍不成功，请联系系统管理员检查后台任务程序（db_worker）是否在运行。"
)


def latest_task(issue: Issue) -> DBTaskResult | None:
    """The newest rendering queued for the issue's PDF (one query)."""
    return (
        DBTaskResult.objects.filter(
            task_path=render_issue_pages.module_path,
            args_kwargs__args__0=issue.pk,
            args_kwargs__args__1=issue.pdf.name,
        )
        .only("status", "enqueued_at", "started_at")
        .order_by("-enqueued_at")
        .first()
    )


def edition_status(issue: Issue) -> str:
    """The field 电子版 of an issue with a PDF: its note, and while the pages wait or are
    being made, what its task says: since when, or that it seems to have stopped (a worker
    killed mid-render leaves its task 正在生成 for ever) or that no worker seems to run.
    Reads the task records only then, one query."""
    pdf = issue.pdf.name
    state = issue.edition_state
    if issue.edition_pdf != pdf or state == EditionState.NONE:
        return f"尚未生成：此PDF的页面图片还没有生成。{STOPPED_ADVICE}"
    if state not in (EditionState.QUEUED, EditionState.RENDERING):
        return issue.edition_note or issue.get_edition_state_display()
    task = latest_task(issue)
    now = timezone.now()
    if task is None or task.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        return f"生成似乎已中止：后台任务已结束或已不存在，页面图片却没有生成。{STOPPED_ADVICE}"
    if task.status == TaskResultStatus.RUNNING:
        minutes = _minutes(now - task.started_at)
        if minutes >= settings.JCZX_EDITION_STALLED_MINUTES:
            return (
                f"生成似乎已中止：后台任务{_when(task.started_at)}开始，{minutes}分钟后仍未完成"
                f"（通常1分钟内完成），运行它的程序可能已被终止。{STOPPED_ADVICE}"
            )
        return f"正在生成：后台任务{_when(task.started_at)}开始，已进行{_duration(minutes)}。"
    minutes = _minutes(now - task.enqueued_at)
    if minutes >= settings.JCZX_EDITION_UNSTARTED_MINUTES:
        return (
            f"等待生成：{_when(task.enqueued_at)}起排队，{minutes}分钟仍未开始，"
            "后台任务程序（db_worker）似乎没有运行：请联系系统管理员检查。"
        )
    note = issue.edition_note.rstrip("。") or "等待生成"
    return f"{note}（{_when(task.enqueued_at)}起排队）。"


def _minutes(elapsed) -> int:
    return int(elapsed.total_seconds() // 60)


def _duration(minutes: int) -> str:
    return f"{minutes}分钟" if minutes else "不到1分钟"


def _when(moment) -> str:
    """In Beijing time (TIME_ZONE), as the history shows times."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def may_rerender(model_admin, request) -> bool:
    """Whoever may change issues. Not the live issue's object permission (the 主编's
    outside its page): rendering the PDF readers already have again changes nothing they
    see, and an editor who may save a 修改稿 of the issue may ask for it."""
    return model_admin.has_change_permission(request)


def needs_rendering(issue: Issue) -> bool:
    return bool(issue.pdf) and not pages_made(issue)


def rerender(model_admin, request, issues) -> None:
    """Queue each issue's PDF again; tell the editor which, and which needed nothing."""
    queued, skipped = [], []
    for issue in issues:
        if edition_rerender(issue=issue):
            model_admin.log_change(request, issue, RERENDER)
            queued.append(str(issue))
        else:
            skipped.append(str(issue))
    if queued:
        model_admin.message_user(
            request, f"已重新排队生成电子版，页面图片将在后台生成：{'、'.join(queued)}。"
        )
    if skipped:
        model_admin.message_user(
            request,
            f"无需重新生成（电子版已生成，或没有PDF）：{'、'.join(skipped)}。",
            messages.WARNING,
        )


@admin.action(description="重新生成所选期刊的电子版", permissions=["change"])
def rerender_selected(model_admin, request, queryset):
    rerender(model_admin, request, queryset)


def rerender_view(model_admin, request, object_id):
    """重新生成电子版 of one issue (``admin/edition/rerender_confirm.html``): a
    confirmation page, then the rendering queued on POST."""
    issue = model_admin.get_object(request, unquote(object_id))
    if issue is None:
        raise Http404("没有这个期刊。")
    if not may_rerender(model_admin, request):
        raise PermissionDenied
    if request.method == "POST":
        rerender(model_admin, request, [issue])
        return HttpResponseRedirect(model_admin.change_url(issue))
    context = {
        **model_admin._confirmation_context(request, issue, title=RERENDER),
        "status": edition_status(issue) if issue.pdf else "",
        "needed": needs_rendering(issue),
    }
    return TemplateResponse(request, "admin/edition/rerender_confirm.html", context)


def rerender_links(model_admin, request, issue) -> list[tuple[str, str]]:
    """The button on the issue's page, while its pages are not (or no longer) made."""
    if not needs_rendering(issue) or not may_rerender(model_admin, request):
        return []
    return [(RERENDER, reverse("admin:issues_issue_rerender_edition", args=[issue.pk]))]
