"""修改稿 of a live issue: its 本期导读, 编委会, 工作动态 and own fields wait, as a
revision, for the three stages; readers (page cache on) see the live issue until it is
published. The 目录 and the issue's parts are not a way around it."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Highlight
from tests.factories import (
    ArticleFactory,
    HighlightFactory,
    IssueFactory,
    MastheadEntryFactory,
    NewsItemFactory,
    PersonFactory,
)
from tests.forms import form_data
from tests.review import restore_review_setup, reviewer
from workflow.errors import PublicationBlocked
from workflow.models import ReviewStage, Revision, Status
from workflow.review import sign_off
from workflow.revisions import pending, publish, submit

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(issue):
    return reverse("admin:issues_issue_change", args=[issue.pk])


@pytest.fixture
def live_issue():
    issue = IssueFactory(year=2020, number=4, total_number=43, postcode="048000")
    article = ArticleFactory(issue=issue, toc_position=1, title="关于发展康养旅游的建议")
    HighlightFactory(issue=issue, article=article, text="康养旅游大有可为")
    MastheadEntryFactory(issue=issue, role="主编", person=PersonFactory(name="王五"))
    NewsItemFactory(issue=issue, text="7月1日上午，市政协召开主席会议。")
    return issue


def edit(client, issue, **changes):
    data = form_data(client.get(change_url(issue)), "issue_form")
    data.update(changes)
    return client.post(change_url(issue), data, follow=True)


def reader_sees(client, issue):
    first = client.get(issue.get_absolute_url()).content.decode()
    again = client.get(issue.get_absolute_url())
    assert again.headers.get("X-Page-Cache") == "hit"
    assert again.content.decode() == first
    return first


def test_a_highlight_changed_on_a_live_issue_waits_for_review_readers_keep_the_old_line(
    live_issue, staff_editor, chief_editor, client, page_cache
):
    assert "康养旅游大有可为" in reader_sees(client, live_issue)
    editor = logged_in(staff_editor)
    page = edit(editor, live_issue, **{"highlights-0-text": "康养旅游前景广阔"})
    assert "已保存为修改稿（第 1 版）：读者看到的仍是已发布的版本" in page.content.decode()

    # The live row and the reader's page (from the cache or not) are unchanged.
    assert Highlight.objects.get().text == "康养旅游大有可为"
    html = reader_sees(client, live_issue)
    assert "康养旅游大有可为" in html and "康养旅游前景广阔" not in html

    admin_page = editor.get(change_url(live_issue)).content.decode()
    assert "有未发布的修改" in admin_page
    assert "康养旅游<del>大有可为</del><ins>前景广阔</ins>" in admin_page
    assert 'value="康养旅游前景广阔"' in admin_page  # the form shows the draft

    revision = pending(live_issue)
    submit(revision, by=staff_editor)
    stages = list(ReviewStage.objects.all())
    for stage in stages[:2]:
        sign_off(revision, stage=stage, by=reviewer(stage))
        assert "康养旅游大有可为" in reader_sees(client, live_issue)
    with pytest.raises(PublicationBlocked, match="终审尚未签发"):
        publish(revision, by=chief_editor)
    sign_off(revision, stage=stages[2], by=reviewer(stages[2]))
    publish(revision, by=chief_editor)

    html = client.get(live_issue.get_absolute_url()).content.decode()
    assert "康养旅游前景广阔" in html and "康养旅游大有可为" not in html
    live_issue.refresh_from_db()
    assert live_issue.events.first().note == "发布修改稿（已三审）"
    assert Revision.objects.get().status == Status.PUBLISHED


def test_masthead_news_items_and_fields_of_a_live_issue_change_only_through_the_revision(
    live_issue, chief_editor
):
    chief = logged_in(chief_editor)
    edit(
        chief,
        live_issue,
        **{
            "masthead-0-role": "副主编",
            "news_items-0-text": "7月1日上午，市政协召开第十次主席会议。",
            "postcode": "048026",
        },
    )
    live_issue.refresh_from_db()
    assert live_issue.postcode == "048000"  # even the 主编 edits a 修改稿
    assert live_issue.masthead.get().role == "主编"
    assert live_issue.news_items.get().text == "7月1日上午，市政协召开主席会议。"
    data = pending(live_issue).data
    assert data["fields"]["postcode"] == "048026"
    assert data["relations"]["masthead"][0]["role"] == "副主编"
    assert data["relations"]["news_items"][0]["text"].endswith("第十次主席会议。")

    page = chief.get(change_url(live_issue)).content.decode()
    assert '<th scope="row">编委会</th>' in page and "<ins>副</ins>主编" in page
    assert "0480<del>00</del><ins>26</ins>" in page
    assert "第十次" in page


def test_the_toc_of_a_live_issue_is_read_only_and_its_parts_pages_refuse_changes(
    live_issue, chief_editor
):
    chief = logged_in(chief_editor)
    data = form_data(chief.get(change_url(live_issue)), "issue_form")
    assert "articles-0-title" not in data  # corrected on the article's own page
    highlight = live_issue.highlights.get()
    url = reverse("admin:articles_highlight_change", args=[highlight.pk])
    page = chief.get(url).content.decode()
    assert 'name="text"' not in page  # read-only, for the 主编 too
    response = chief.post(url, {"issue": live_issue.pk, "article": highlight.article_id,
                                "text": "绕过三审", "position": 0})  # fmt: skip
    assert response.status_code == 403
    assert Highlight.objects.get().text == "康养旅游大有可为"


def test_an_unchanged_save_of_a_live_issue_keeps_no_revision(live_issue, staff_editor):
    page = edit(logged_in(staff_editor), live_issue).content.decode()
    assert "没有修改，未保存修改稿。" in page
    assert not Revision.objects.exists()


@pytest.fixture
def committed_groups(transactional_db):
    # The groups come from data migrations, which an earlier transactional test's flush
    # removed.
    restore_review_setup()


@pytest.mark.django_db(transaction=True)
def test_editing_the_revision_leaves_the_readers_cached_pages_cached(
    committed_groups, live_issue, staff_editor, client, page_cache
):
    """The revision is laid over the live rows in a transaction that is rolled back as
    a whole: nothing is committed, so the cached page is served on (not renewed). A
    transactional test: only real commits and rollbacks show what the cache sees."""
    editor = logged_in(staff_editor)
    edit(editor, live_issue, **{"highlights-0-text": "康养旅游前景广阔"})  # a pending 修改稿
    reader_sees(client, live_issue)  # cached now
    editor.get(change_url(live_issue))  # the 修改稿 laid over the live rows, shown
    edit(editor, live_issue, **{"highlights-0-text": "康养旅游前景无限"})
    again = client.get(live_issue.get_absolute_url())
    assert again.headers.get("X-Page-Cache") == "hit"
    assert "康养旅游大有可为" in again.content.decode()
    assert pending(live_issue).data["relations"]["highlights"][0]["text"] == "康养旅游前景无限"
