"""电子版 in the issue's admin (edition.admin): the field 電子版 told by the task records,
and 重新生成电子版 on an issue's page and on the list of issues."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from edition.admin import edition_status
from edition.models import Page
from issues.models import EditionState, Issue
from tests.edition.conftest import attach_pdf, run_queued_tasks
from tests.forms import form_data
from tests.images import upload
from tests.pdfs import magazine_pdf
from workflow.revisions import pending

pytestmark = pytest.mark.django_db

READY_NOTE = "已生成12页；印刷第1页为PDF第3页（据页面上印的页码识别）。"


def beijing(moment) -> str:
    return (moment + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def change_url(issue) -> str:
    return reverse("admin:issues_issue_change", args=[issue.pk])


def rerender_url(issue) -> str:
    return reverse("admin:issues_issue_rerender_edition", args=[issue.pk])


def admin_status(client, issue) -> str:
    """The text of the field 电子版 on the issue's change page."""
    page = client.get(change_url(issue)).content.decode()
    start = page.index('<div class="readonly">', page.index("field-edition_status"))
    return page[start + len('<div class="readonly">') : page.index("</div>", start)]


def worker_killed(issue, *, minutes_ago: int):
    """The worker took the issue's task ``minutes_ago`` and was killed while rendering:
    the task stays RUNNING, the issue 正在生成."""
    started = timezone.now() - timedelta(minutes=minutes_ago)
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        status=TaskResultStatus.RUNNING, started_at=started
    )
    Issue.objects.filter(pk=issue.pk).update(
        edition_state=EditionState.RENDERING, edition_note="正在生成页面图片……"
    )
    issue.refresh_from_db()
    return started


@pytest.fixture
def stuck_issue(issue, small_pages):
    """2020年第4期 with a 12-page PDF whose rendering was killed 40 minutes ago."""
    attach_pdf(issue, magazine_pdf(12, 3))
    issue.started = worker_killed(issue, minutes_ago=40)
    return issue


@pytest.fixture
def viewer(db, django_user_model):
    """Staff who may look at issues, not change them."""
    user = django_user_model.objects.create_user("chakan", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_issue"))
    return user


def test_a_rendering_killed_long_ago_says_it_seems_to_have_stopped(editor_client, stuck_issue):
    assert admin_status(editor_client, stuck_issue) == (
        f"生成似乎已中止：后台任务{beijing(stuck_issue.started)}开始，40分钟后仍未完成"
        "（通常1分钟内完成），运行它的程序可能已被终止。请点击“重新生成电子版”；"
        "如仍不成功，请联系系统管理员检查后台任务程序（db_worker）是否在运行。"
    )


def test_a_rendering_whose_task_is_gone_says_it_seems_to_have_stopped(editor_client, stuck_issue):
    DBTaskResult.objects.all().delete()  # e.g. prune_db_task_results
    assert admin_status(editor_client, stuck_issue).startswith(
        "生成似乎已中止：后台任务已结束或已不存在，页面图片却没有生成。请点击“重新生成电子版”"
    )


def test_a_rendering_under_way_says_since_when(editor_client, issue, small_pages):
    attach_pdf(issue, magazine_pdf(12, 3))
    started = worker_killed(issue, minutes_ago=3)  # not yet past the 15 minutes
    assert admin_status(editor_client, issue) == (
        f"正在生成：后台任务{beijing(started)}开始，已进行3分钟。"
    )


def test_a_pdf_queued_long_with_no_worker_says_the_worker_seems_not_to_run(
    editor_client, issue, small_pages
):
    attach_pdf(issue, magazine_pdf(12, 3))
    queued = timezone.now() - timedelta(minutes=30)
    DBTaskResult.objects.update(enqueued_at=queued)
    assert admin_status(editor_client, issue) == (
        f"等待生成：{beijing(queued)}起排队，30分钟仍未开始，"
        "后台任务程序（db_worker）似乎没有运行：请联系系统管理员检查。"
    )


def test_a_fresh_upload_says_it_waits_since_when(editor_client, issue, small_pages):
    attach_pdf(issue, magazine_pdf(12, 3))
    queued = DBTaskResult.objects.get().enqueued_at
    assert admin_status(editor_client, issue) == (
        f"等待生成：PDF 已上传，页面图片将在后台生成（{beijing(queued)}起排队）。"
    )


def test_the_status_reads_the_task_records_once_and_only_while_waiting(
    stuck_issue, django_assert_num_queries
):
    with django_assert_num_queries(1):
        edition_status(stuck_issue)
    run_queued_tasks()  # nothing: the task is RUNNING
    Issue.objects.filter(pk=stuck_issue.pk).update(
        edition_state=EditionState.READY, edition_note=READY_NOTE
    )
    stuck_issue.refresh_from_db()
    with django_assert_num_queries(0):
        assert edition_status(stuck_issue) == READY_NOTE


def test_an_editor_rerenders_a_stuck_issue_from_its_page(client, staff_editor, stuck_issue):
    client.force_login(staff_editor)
    page = client.get(change_url(stuck_issue)).content.decode()
    assert f'href="{rerender_url(stuck_issue)}"' in page

    confirm = client.get(rerender_url(stuck_issue))
    assert confirm.status_code == 200
    assert "确认重新生成" in confirm.content.decode()
    assert DBTaskResult.objects.ready().count() == 0  # a GET changes nothing

    response = client.post(rerender_url(stuck_issue), follow=True)
    assert "已重新排队生成电子版，页面图片将在后台生成：2020年第4期（总第43期）。" in (
        response.content.decode()
    )
    assert admin_status(client, stuck_issue).startswith("等待生成：已重新排队")
    assert run_queued_tasks() == 1
    assert admin_status(client, stuck_issue) == READY_NOTE
    assert Page.objects.of(stuck_issue).count() == 12
    assert (
        f'href="{rerender_url(stuck_issue)}"'
        not in client.get(change_url(stuck_issue)).content.decode()
    )


def test_an_editor_rerenders_from_the_list_of_issues(client, staff_editor, stuck_issue):
    client.force_login(staff_editor)
    response = client.post(
        reverse("admin:issues_issue_changelist"),
        {"action": "rerender_selected", "_selected_action": [stuck_issue.pk]},
    )
    assert response.status_code == 302
    assert run_queued_tasks() == 1
    stuck_issue.refresh_from_db()
    assert stuck_issue.edition_note == READY_NOTE


def test_an_issue_already_rendered_is_not_rendered_again(editor_client, rendered_issue):
    response = editor_client.post(rerender_url(rendered_issue), follow=True)
    assert "无需重新生成（电子版已生成，或没有PDF）：2020年第4期（总第43期）。" in (
        response.content.decode()
    )
    assert run_queued_tasks() == 0
    assert Page.objects.of(rendered_issue).count() == 12


def test_staff_who_may_not_change_issues_cannot_rerender(client, viewer, stuck_issue):
    client.force_login(viewer)
    assert client.get(change_url(stuck_issue)).status_code == 200
    assert rerender_url(stuck_issue) not in client.get(change_url(stuck_issue)).content.decode()
    assert client.get(rerender_url(stuck_issue)).status_code == 403
    assert client.post(rerender_url(stuck_issue)).status_code == 403
    client.post(
        reverse("admin:issues_issue_changelist"),
        {"action": "rerender_selected", "_selected_action": [stuck_issue.pk]},
    )
    assert DBTaskResult.objects.ready().count() == 0
    stuck_issue.refresh_from_db()
    assert stuck_issue.edition_state == EditionState.RENDERING


def test_a_post_without_the_csrf_token_is_refused(staff_editor, stuck_issue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_editor)
    assert client.post(rerender_url(stuck_issue)).status_code == 403
    assert DBTaskResult.objects.ready().count() == 0


def test_a_live_issue_rerenders_its_own_pdf_not_the_one_pending_in_its_revision(
    client, rendered_issue, staff_editor, small_pages, django_capture_on_commit_callbacks
):
    live_pdf = rendered_issue.pdf.name
    client.force_login(staff_editor)
    url = change_url(rendered_issue)
    data = form_data(client.get(url).content.decode(), "issue_form")
    data["pdf"] = upload("2020-4.pdf", magazine_pdf(8, 2))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    assert pending(rendered_issue) is not None
    # The pages of the live PDF went missing (a rendering killed after an upgrade).
    Page.objects.filter(issue=rendered_issue).delete()
    worker_killed(rendered_issue, minutes_ago=60)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(rerender_url(rendered_issue))
    assert list(DBTaskResult.objects.ready().values_list("args_kwargs", flat=True)) == [
        {"args": [rendered_issue.pk, live_pdf], "kwargs": {}}
    ]
    assert run_queued_tasks() == 1
    rendered_issue.refresh_from_db()
    assert rendered_issue.pdf.name == live_pdf
    assert rendered_issue.edition_note == READY_NOTE
    assert Page.objects.of(rendered_issue).count() == 12
