"""An article's way through the workflow: transitions and their records, scheduled
publishing, withdrawal, history and restoring, concurrent edits, preview."""

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish, article_redraft, article_submit, article_withdraw
from tests.factories import ArticleFactory, IssueFactory
from tests.forms import form_data
from tests.review import sign_all
from workflow.admin import WorkflowAdmin
from workflow.models import Status
from workflow.transitions import PublicationBlocked, TransitionNotAllowed

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def workflow_url(article, name):
    return reverse("admin:articles_article_workflow", args=[article.pk, name])


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def draft():
    """A draft article in a published issue: what the office adds between issues."""
    return ArticleFactory(
        title="关于发展康养旅游的建议",
        body="<p>旧的正文。</p>",
        status=Status.DRAFT,
        published_at=None,
    )


# --- transitions and their records -----------------------------------------------------


def test_draft_to_review_to_published_and_every_step_is_recorded(draft, staff_editor, chief_editor):
    article_submit(article=draft, by=staff_editor, note="请审阅")
    sign_all(draft)
    article_publish(article=draft, by=chief_editor, note="同意刊发")

    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at <= timezone.now()
    events = list(draft.events.order_by("at", "pk"))
    assert [(e.from_status, e.to_status, e.user, e.note) for e in events] == [
        (Status.DRAFT, Status.REVIEW, staff_editor, "请审阅"),
        (Status.REVIEW, Status.PUBLISHED, chief_editor, "同意刊发"),
    ]
    assert events[1].publish_at == draft.published_at
    last = draft.history.order_by("-history_date").first()
    assert (last.history_user, last.history_change_reason) == (chief_editor, "发布：同意刊发")


def test_publishing_a_draft_skips_review_and_is_refused_with_the_reason(draft, chief_editor):
    with pytest.raises(TransitionNotAllowed) as refused:
        article_publish(article=draft, by=chief_editor)
    assert str(refused.value) == (
        "文章“关于发展康养旅游的建议”当前是“草稿”，不能发布："
        "只有“待审”状态的文章可以发布（请先提交审核）。"
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not draft.events.exists()


def test_withdrawn_goes_back_to_draft_not_straight_to_published(draft, chief_editor):
    article_submit(article=draft, by=chief_editor)
    sign_all(draft)
    article_publish(article=draft, by=chief_editor)
    article_withdraw(article=draft, by=chief_editor, note="数据有误")
    with pytest.raises(TransitionNotAllowed, match="当前是“已撤回”，不能发布"):
        article_publish(article=draft, by=chief_editor)
    article_redraft(article=draft, by=chief_editor)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert [e.to_status for e in draft.events.order_by("at", "pk")] == [
        Status.REVIEW,
        Status.PUBLISHED,
        Status.WITHDRAWN,
        Status.DRAFT,
    ]


def test_an_article_without_a_body_cannot_be_published(chief_editor):
    article = ArticleFactory(title="空白稿", body="<p>&nbsp;</p>", status=Status.REVIEW)
    with pytest.raises(PublicationBlocked) as refused:
        article_publish(article=article, by=chief_editor)
    assert refused.value.problems == [f"第{article.toc_position}条《空白稿》没有正文"]
    article.refresh_from_db()
    assert article.status == Status.REVIEW


# --- what readers see, and when --------------------------------------------------------


def test_a_scheduled_article_appears_exactly_at_its_time(client, clock, chief_editor):
    moment = datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    issue = IssueFactory(published_at=moment - datetime.timedelta(days=30))
    article = ArticleFactory(
        issue=issue, title="定时发布的文章", status=Status.REVIEW, published_at=None
    )
    clock.set(moment - datetime.timedelta(hours=2))
    sign_all(article)
    article_publish(article=article, by=chief_editor, at=moment)

    clock.set(moment - datetime.timedelta(microseconds=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "定时发布的文章" not in client.get(issue.get_absolute_url()).content.decode()
    assert article not in Article.objects.published()

    clock.set(moment)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "定时发布的文章" in response.content.decode()
    assert "定时发布的文章" in client.get(issue.get_absolute_url()).content.decode()


def test_a_withdrawn_article_answers_404_and_leaves_its_issue_page(client, chief_editor):
    article = ArticleFactory(title="将被撤回的文章")
    issue_url = article.issue.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "将被撤回的文章" in client.get(issue_url).content.decode()

    article_withdraw(article=article, by=chief_editor, note="内容需核实")

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "将被撤回的文章" not in client.get(issue_url).content.decode()


# --- the admin: buttons, confirmation, records -----------------------------------------


def test_the_change_page_offers_only_the_steps_the_user_may_take(draft, staff_editor, chief_editor):
    article_submit(article=draft, by=staff_editor, note="请审阅")

    editor_page = logged_in(staff_editor).get(change_url(draft)).content.decode()
    assert workflow_url(draft, "redraft") in editor_page
    assert workflow_url(draft, "publish") not in editor_page
    assert "当前状态：<strong" in editor_page and ">待审</strong>" in editor_page
    assert "草稿 → 待审" in editor_page and "bianji" in editor_page and "请审阅" in editor_page

    chief_page = logged_in(chief_editor).get(change_url(draft)).content.decode()
    assert workflow_url(draft, "publish") in chief_page
    assert workflow_url(draft, "redraft") in chief_page
    assert workflow_url(draft, "withdraw") not in chief_page  # not published


def test_publishing_from_the_admin_confirms_first_then_records_the_note(draft, chief_editor):
    draft.status = Status.REVIEW
    draft.save()
    sign_all(draft)
    chief = logged_in(chief_editor)

    page = chief.get(workflow_url(draft, "publish"))
    assert page.status_code == 200
    assert "确认发布" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW  # a GET changes nothing

    response = chief.post(workflow_url(draft, "publish"), {"note": "审核通过"})
    assert response.status_code == 302
    assert response["Location"] == change_url(draft)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    event = draft.events.get()
    assert (event.user, event.note) == (chief_editor, "审核通过")


def test_scheduling_from_the_admin_takes_the_time_in_beijing_time(draft, chief_editor):
    draft.status = Status.REVIEW
    draft.save()
    sign_all(draft)
    response = logged_in(chief_editor).post(
        workflow_url(draft, "publish"),
        {"note": "", "at_0": "2030-09-01", "at_1": "08:00:00"},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at == datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    assert "已定时发布文章“关于发展康养旅游的建议”：2030-09-01 08:00起读者可见。" in (
        response.content.decode()
    )
    assert "定时发布：2030-09-01 08:00" in response.content.decode()


def test_an_invalid_step_in_the_admin_shows_why_and_changes_nothing(draft, chief_editor):
    chief = logged_in(chief_editor)
    page = chief.get(workflow_url(draft, "publish")).content.decode()
    assert "当前是“草稿”，不能发布" in page
    assert "确认发布" not in page

    response = chief.post(workflow_url(draft, "publish"), {"note": ""})
    assert response.status_code == 200
    assert "只有“待审”状态的文章可以发布" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_an_unknown_step_is_a_404(draft, chief_editor):
    response = logged_in(chief_editor).get(workflow_url(draft, "approve"))
    assert response.status_code == 404


def test_bulk_publishing_confirms_then_publishes_the_ready_and_explains_the_rest(chief_editor):
    issue = IssueFactory()
    ready = [ArticleFactory(issue=issue, title=f"待审稿{n}", status=Status.REVIEW) for n in (1, 2)]
    not_ready = ArticleFactory(issue=issue, title="草稿稿", status=Status.DRAFT)
    for article in ready:
        sign_all(article)
    chief = logged_in(chief_editor)
    selection = {
        "action": "publish_selected",
        "_selected_action": [a.pk for a in [*ready, not_ready]],
    }
    changelist = reverse("admin:articles_article_changelist")

    confirm = chief.post(changelist, selection)
    assert confirm.status_code == 200
    assert "确认发布" in confirm.content.decode()
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 0

    done = chief.post(changelist, {**selection, "confirm": "1", "note": "批量发布"}, follow=True)
    html = done.content.decode()
    assert "已发布2项。" in html
    assert "文章“草稿稿”当前是“草稿”，不能发布" in html
    assert {a.title for a in Article.objects.filter(status=Status.PUBLISHED)} == {
        "待审稿1",
        "待审稿2",
    }
    assert not_ready.events.count() == 0


# --- concurrent edits (optimistic locking) ---------------------------------------------


def test_the_second_of_two_concurrent_saves_is_refused_and_the_first_kept(
    draft, staff_editor, django_user_model
):
    colleague = django_user_model.objects.create_user("bianji2", is_staff=True)
    colleague.groups.add(*staff_editor.groups.all())
    first, second = logged_in(staff_editor), logged_in(colleague)
    first_form = form_data(first.get(change_url(draft)), "article_form")
    second_form = form_data(second.get(change_url(draft)), "article_form")
    assert first_form["lock_version"] == second_form["lock_version"] == "0"

    saved = first.post(change_url(draft), {**first_form, "title": "第一位编辑改的标题"})
    assert saved.status_code == 302

    refused = second.post(change_url(draft), {**second_form, "body": "<p>第二位编辑的正文。</p>"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "保存失败：在您打开此页之后，《第一位编辑改的标题》已被修改（bianji 于" in html
    assert "第二位编辑的正文。" in html  # still on the page, to be copied
    draft.refresh_from_db()
    assert draft.title == "第一位编辑改的标题"
    assert draft.body == "<p>旧的正文。</p>"
    assert draft.version == 1


def test_reopening_the_page_after_a_conflict_lets_the_second_editor_save(
    draft, staff_editor, chief_editor
):
    first, second = logged_in(staff_editor), logged_in(chief_editor)
    stale = form_data(second.get(change_url(draft)), "article_form")
    first.post(
        change_url(draft),
        {**form_data(first.get(change_url(draft)), "article_form"), "title": "甲"},
    )
    assert second.post(change_url(draft), {**stale, "subtitle": "乙"}).status_code == 200

    fresh = form_data(second.get(change_url(draft)), "article_form")
    assert second.post(change_url(draft), {**fresh, "subtitle": "乙"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.subtitle, draft.version) == ("甲", "乙", 2)


def test_a_save_racing_past_validation_is_refused_by_the_single_update(
    draft, staff_editor, monkeypatch
):
    """The rival's save commits after this request read the row but before it writes:
    validation saw no conflict, the compare-and-increment UPDATE does; nothing of this
    save is written and the page reports the conflict."""
    from workflow import admin as workflow_admin

    editor = logged_in(staff_editor)
    data = form_data(editor.get(change_url(draft)), "article_form")
    read_before_the_rival = Article.objects.get(pk=draft.pk)
    Article.objects.filter(pk=draft.pk).update(title="对手的标题", version=1)

    racing = [True]
    real_get_object, real_claim = WorkflowAdmin.get_object, workflow_admin.claim_version

    def get_object(self, request, object_id, from_field=None):
        if racing:
            return read_before_the_rival
        return real_get_object(self, request, object_id, from_field)

    def claim_version(obj, expected):
        racing.clear()
        return real_claim(obj, expected)

    monkeypatch.setattr(WorkflowAdmin, "get_object", get_object)
    monkeypatch.setattr(workflow_admin, "claim_version", claim_version)
    response = editor.post(change_url(draft), {**data, "title": "我的标题"})

    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("对手的标题", 1)


def test_a_toc_row_changed_elsewhere_meanwhile_is_not_overwritten_from_the_issue_page(
    staff_editor,
):
    # A year the issue form accepts (the factory's sequence passes 2200 in a long run).
    issue = IssueFactory(year=2019, number=6, status=Status.DRAFT, published_at=None)
    entry = ArticleFactory(issue=issue, title="原标题", status=Status.DRAFT)
    editor = logged_in(staff_editor)
    issue_url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = form_data(editor.get(issue_url), "issue_form")
    # Meanwhile someone saves the article on its own page.
    Article.objects.filter(pk=entry.pk).update(body="<p>别人刚写的正文。</p>", version=5)

    response = editor.post(issue_url, {**data, "articles-0-title": "目录里改的标题"})
    assert response.status_code == 200
    assert "保存失败" in response.content.decode()
    entry.refresh_from_db()
    assert (entry.title, entry.version) == ("原标题", 5)

    # The same page saved without touching that row goes through, the body untouched.
    response = editor.post(issue_url, {**data, "postcode": "048000"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.body) == ("原标题", "<p>别人刚写的正文。</p>")
    issue.refresh_from_db()
    assert issue.postcode == "048000"


# --- history: view and restore ----------------------------------------------------------


def revert(client, record):
    url = reverse("admin:articles_article_simple_history", args=[record.id, record.history_id])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page, "historicalarticle_form"))


def test_every_change_is_kept_and_restoring_a_version_brings_back_the_old_text(draft, staff_editor):
    editor = logged_in(staff_editor)
    data = form_data(editor.get(change_url(draft)), "article_form")
    editor.post(change_url(draft), {**data, "body": "<p>新的正文。</p>"})
    draft.refresh_from_db()
    assert draft.body == "<p>新的正文。</p>"
    newest, oldest = draft.history.order_by("-history_date")[:1][0], draft.history.earliest()
    assert newest.history_user == staff_editor
    assert (oldest.body, newest.body) == ("<p>旧的正文。</p>", "<p>新的正文。</p>")

    history_page = editor.get(reverse("admin:articles_article_history", args=[draft.pk]))
    assert oldest.revert_url() in history_page.content.decode()

    response = revert(editor, oldest)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "<p>旧的正文。</p>"
    assert draft.history.count() == 3
    restored = draft.history.order_by("-history_date").first()
    assert restored.history_user == staff_editor
    when = timezone.localtime(oldest.history_date).strftime("%Y-%m-%d %H:%M")
    assert restored.history_change_reason == f"恢复到 {when} 的版本"
    assert newest.history_change_reason == "后台修改"


def test_restoring_a_published_version_does_not_publish(staff_editor, chief_editor):
    article = ArticleFactory(title="曾经发布的文章", body="<p>发布时的正文。</p>")
    published_version = article.history.get()
    article_withdraw(article=article, by=chief_editor, note="暂缓")
    article.refresh_from_db()
    published_at = article.published_at

    response = revert(logged_in(staff_editor), published_version)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN
    assert article.published_at == published_at
    assert article.body == "<p>发布时的正文。</p>"


# --- preview ------------------------------------------------------------------------------


def test_staff_preview_a_draft_with_the_public_template(draft, staff_editor):
    editor = logged_in(staff_editor)
    response = editor.get(reverse("preview:article", args=[draft.pk]))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert response.context["article"] == draft
    html = response.content.decode()
    assert "关于发展康养旅游的建议" in html and "旧的正文。" in html
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # and the admin page links to it
    assert (
        reverse("preview:article", args=[draft.pk])
        in editor.get(change_url(draft)).content.decode()
    )


def test_view_on_site_appears_only_once_readers_can_see_the_article(draft, chief_editor):
    chief = logged_in(chief_editor)
    assert draft.get_absolute_url() not in chief.get(change_url(draft)).content.decode()
    draft.status = Status.REVIEW
    draft.save()
    sign_all(draft)
    article_publish(article=draft, by=chief_editor)
    page = chief.get(change_url(draft)).content.decode()
    assert f'<a href="{draft.get_absolute_url()}" class="viewsitelink">' in page


@pytest.mark.django_db(transaction=True)
def test_two_transactions_saving_the_same_version_at_once_exactly_one_wins():
    """Two real connections, both holding version 0, compare-and-increment at the same
    moment: the second UPDATE waits for the first transaction, then finds the version
    moved and refuses. PostgreSQL only: the embedded SQLite serializes writers anyway."""
    import threading

    from django.db import connection, transaction

    from workflow.models import EditConflict, claim_version

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    both_read = threading.Barrier(2)
    outcomes = []

    def save(title):
        try:
            with transaction.atomic():
                mine = Article.objects.get(pk=article.pk)
                both_read.wait(timeout=10)
                claim_version(mine, 0)
                mine.title = title
                mine.save()
            outcomes.append(("saved", title))
        except EditConflict:
            outcomes.append(("refused", title))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(t,)) for t in ("甲的标题", "乙的标题")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o[0] for o in outcomes) == ["refused", "saved"]
    winner = next(title for outcome, title in outcomes if outcome == "saved")
    article.refresh_from_db()
    assert (article.title, article.version) == (winner, 1)


def test_a_deleted_article_restored_from_history_comes_back_as_a_draft(chief_editor):
    article = ArticleFactory(title="误删的文章", body="<p>误删的正文。</p>")
    pk = article.pk
    last = article.history.get()
    article.delete()

    response = revert(logged_in(chief_editor), last)
    assert response.status_code == 302
    restored = Article.objects.get(pk=pk)
    assert (restored.title, restored.body) == ("误删的文章", "<p>误删的正文。</p>")
    assert (restored.status, restored.published_at) == (Status.DRAFT, None)


def test_the_preview_of_a_work_news_entry_shows_its_items_and_neighbours_as_published(
    staff_editor,
):
    from tests.factories import NewsItemFactory

    issue = IssueFactory(status=Status.DRAFT, published_at=None)
    before = ArticleFactory(issue=issue, toc_position=1, title="前一篇", status=Status.REVIEW)
    entry = ArticleFactory(
        issue=issue, toc_position=2, title="工作动态", body="", status=Status.DRAFT
    )
    ArticleFactory(issue=issue, toc_position=3, title="已撤回的一篇", status=Status.WITHDRAWN)
    NewsItemFactory(issue=issue, article=entry, text="市政协召开主席会议。")

    response = logged_in(staff_editor).get(reverse("preview:article", args=[entry.pk]))
    assert response.status_code == 200
    assert response.context["previous"] == before
    assert response.context["next"] is None  # the withdrawn entry will not be published
    assert [i.text for i in response.context["news_items"]] == ["市政协召开主席会议。"]
    assert "市政协召开主席会议。" in response.content.decode()


def test_a_withdrawn_article_leaves_search_the_feeds_and_the_sitemap(client, chief_editor):
    article = ArticleFactory(
        title="关于大力发展康养旅游的建议", body="<p>打造康养产品，培养引进康养人才。</p>"
    )
    search = reverse("search:search") + "?q=康养"
    feeds = [
        reverse("articles:latest_feed"),
        reverse("articles:column_feed", args=[article.column.slug]),
    ]
    sitemap = reverse("django.contrib.sitemaps.views.sitemap")
    url = article.get_absolute_url()
    assert url in client.get(search).content.decode()
    for feed in feeds:
        assert "关于大力发展康养旅游的建议" in client.get(feed).content.decode()
    assert url in client.get(sitemap).content.decode()

    article_withdraw(article=article, by=chief_editor)

    response = client.get(search)
    assert response.status_code == 200
    assert url not in response.content.decode()
    for feed in feeds:
        response = client.get(feed)
        assert response.status_code == 200
        assert "关于大力发展康养旅游的建议" not in response.content.decode()
    assert url not in client.get(sitemap).content.decode()
