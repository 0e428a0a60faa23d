"""Any two versions compared (live, the 修改稿, published 修改稿, the 历史), as text in
Beijing time; any old version brought back as a new 修改稿 — never onto the live page."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from issues.models import Issue
from tests.factories import ArticleFactory, HighlightFactory, IssueFactory
from tests.forms import form_data
from tests.review import sign_all
from workflow.history import display_value
from workflow.models import Revision, SignOff, Status
from workflow.revisions import pending, publish, submit

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def versions_url(obj, **query):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_versions", args=[obj.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def diff_of(html):
    start = html.index('class="revision-diff"')
    return html[start : html.index("</table>", start)]


@pytest.fixture
def live():
    article = ArticleFactory(
        title="关于发展康养旅游的建议",
        body="<p>要加强学习。</p>",
        event_date=datetime.date(2020, 9, 1),
    )
    article.title = "关于大力发展康养旅游的建议"
    article.body = "<p>要加强<strong>理论</strong>学习。</p>"
    article.event_date = datetime.date(2020, 9, 2)
    article._change_reason = "后台修改"
    article.save()
    return article


def test_a_time_reads_in_beijing_time_not_as_stored():
    field = Issue._meta.get_field("published_at")
    assert display_value(field, "2026-12-01T13:23:04.808327+00:00") == "2026年12月1日 21:23"
    assert display_value(field, None) == "（空）"
    assert display_value(Article._meta.get_field("event_date"), "2020-09-01") == "2020年9月1日"


def test_two_versions_from_the_history_compare_character_by_character_as_text(live, staff_editor):
    first = live.history.earliest()
    page = logged_in(staff_editor).get(versions_url(live, a=f"hist-{first.history_id}", b="live"))
    html = page.content.decode()
    diff = diff_of(html)
    assert "关于<ins>大力</ins>发展康养旅游的建议" in diff
    assert "要加强<ins>理论</ins>学习。" in diff  # the <strong> is not shown
    assert "2020年9月<del>1</del><ins>2</ins>日" in diff  # not 2020-09-01
    assert "&lt;" not in diff and "<p>" not in diff
    assert "署名没有历史记录" in html  # bylines have no history of their own: left out


def test_the_default_comparison_is_the_draft_against_the_live_version(live, staff_editor):
    editor = logged_in(staff_editor)
    url = reverse("admin:articles_article_change", args=[live.pk])
    data = form_data(editor.get(url), "article_form")
    editor.post(url, {**data, "subtitle": "——在市政协会议上的发言"})
    change_page = editor.get(url).content.decode()
    assert f'<a href="{versions_url(live)}" class="workflow-versions">版本对比</a>' in change_page
    html = editor.get(versions_url(live)).content.decode()
    assert re.search(r"当前发布版本 → 修改稿第 1 版（草稿，bianji 于 [\d-]+ [\d:]+ 保存）", html)
    assert "<ins>——在市政协会议上的发言</ins>" in diff_of(html)


def test_an_old_version_of_live_content_comes_back_as_a_revision_through_the_stages(
    live, staff_editor, chief_editor, client
):
    first = live.history.earliest()
    editor = logged_in(staff_editor)
    url = reverse(
        "admin:articles_article_version_restore", args=[live.pk, f"hist-{first.history_id}"]
    )
    confirm = editor.get(url).content.decode()
    assert "恢复后，该版本成为修改稿，读者看到的仍是已发布的版本" in confirm
    assert "关于<del>大力</del>发展康养旅游的建议" in diff_of(confirm)
    page = editor.post(url, form_data(confirm, "restore-form"), follow=True).content.decode()
    assert "恢复为修改稿（第 1 版）：读者看到的仍是已发布的版本" in page

    live.refresh_from_db()
    assert live.title == "关于大力发展康养旅游的建议"  # the live page is untouched
    assert "关于大力发展康养旅游的建议" in client.get(live.get_absolute_url()).content.decode()
    revision = pending(live)
    assert revision.data["fields"]["title"] == "关于发展康养旅游的建议"
    assert revision.data["relations"]["authorships"] == []  # kept as it is live

    submit(revision, by=staff_editor)
    sign_all(revision)
    publish(revision, by=chief_editor)
    live.refresh_from_db()
    assert (live.title, live.body) == ("关于发展康养旅游的建议", "<p>要加强学习。</p>")
    # The published 修改稿 is a version of its own, to compare and restore.
    html = logged_in(chief_editor).get(versions_url(live)).content.decode()
    assert "已发布的修改稿（" in html


def test_a_restore_over_a_revision_saved_meanwhile_is_refused(live, staff_editor, chief_editor):
    first = live.history.earliest()
    url = reverse(
        "admin:articles_article_version_restore", args=[live.pk, f"hist-{first.history_id}"]
    )
    editor = logged_in(staff_editor)
    stale = form_data(editor.get(url), "restore-form")
    chief = logged_in(chief_editor)
    change = reverse("admin:articles_article_change", args=[live.pk])
    chief.post(change, {**form_data(chief.get(change), "article_form"), "source": "新华社"})
    page = editor.post(url, stale).content.decode()
    assert (
        "保存失败：在您打开此页之后，《关于大力发展康养旅游的建议》的修改稿已被修改（zhubian 于"
        in page
    )
    assert pending(live).data["fields"]["source"] == "新华社"


def test_a_draft_is_restored_in_place_and_its_sign_offs_void(staff_editor):
    draft = ArticleFactory(title="初稿标题", status=Status.REVIEW, published_at=None,
                           issue=IssueFactory(status=Status.DRAFT, published_at=None))  # fmt: skip
    first = draft.history.earliest()
    draft.title = "二稿标题"
    draft.save()
    sign_all(draft)
    draft.refresh_from_db()
    url = reverse(
        "admin:articles_article_version_restore", args=[draft.pk, f"hist-{first.history_id}"]
    )
    editor = logged_in(staff_editor)
    confirm = editor.get(url).content.decode()
    assert "恢复后，该版本成为当前的草稿内容" in confirm
    page = editor.post(url, form_data(confirm, "restore-form"), follow=True).content.decode()
    assert "已恢复“历史：" in page and "已有的签发失效，须重新审稿" in page
    draft.refresh_from_db()
    assert draft.title == "初稿标题"
    assert not SignOff.objects.filter(version=draft.version).exists()
    assert draft.history.latest().history_change_reason.startswith("恢复旧版本：历史：")


def test_an_issue_version_from_the_history_brings_back_its_highlights(chief_editor):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    highlight = HighlightFactory(article=ArticleFactory(issue=issue, toc_position=1), text="旧导读")
    issue.postcode = "048000"
    issue.save()
    record = issue.history.latest()  # 旧导读 and 048000
    highlight.text = "新导读"
    highlight.save()
    issue.postcode = "048026"
    issue.save()
    html = logged_in(chief_editor).get(versions_url(issue, a=f"hist-{record.history_id}", b="live"))
    diff = diff_of(html.content.decode())
    assert "<del>旧</del><ins>新</ins>导读" in diff
    assert "0480<del>00</del><ins>26</ins>" in diff
    assert "编委会、工作动态没有历史记录" in html.content.decode()


def test_versions_need_the_view_permission_and_restoring_the_change_permission(
    live, archivist, django_user_model
):
    outsider = django_user_model.objects.create_user("waiyuan", is_staff=True)
    assert logged_in(outsider).get(versions_url(live)).status_code == 403
    first = live.history.earliest()
    url = reverse(
        "admin:articles_article_version_restore", args=[live.pk, f"hist-{first.history_id}"]
    )
    reader = logged_in(archivist)
    assert reader.get(versions_url(live)).status_code == 200
    assert reader.post(url, {"version": 0}).status_code == 403
    assert not Revision.objects.exists()
