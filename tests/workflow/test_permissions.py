"""Who may do what: the three groups, and every way an 编辑 might try to publish —
the service, the admin action, the change form, a crafted POST, the workflow URL, the
command, restoring a version — refused; previews hidden from readers."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from articles.services import article_publish, article_submit
from issues.services import issue_submit
from tests.factories import (
    ArticleFactory,
    IssueFactory,
    MastheadEntryFactory,
    NewsItemFactory,
    PersonFactory,
)
from tests.forms import form_data
from workflow.models import Revision, Status
from workflow.transitions import NotPermitted

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


# --- the groups, as the data migration creates them ------------------------------------


def test_editors_prepare_content_but_cannot_publish_withdraw_or_delete_issues():
    perms = codenames("编辑")
    for model in ["issue", "article", "person", "column", "newsitem", "highlight"]:
        assert {f"add_{model}", f"change_{model}", f"view_{model}"} <= perms
    assert {"add_mastheadentry", "change_mastheadentry", "delete_authorship"} <= perms
    assert "publish_issue" not in perms
    assert "publish_article" not in perms
    assert "delete_issue" not in perms and "delete_article" not in perms
    assert "import_issue" not in perms


def test_chief_editors_do_everything_on_content_and_publish():
    perms = codenames("主编")
    assert {"publish_issue", "publish_article", "delete_issue", "delete_article"} <= perms
    assert {"add_person", "change_column", "delete_newsitem"} <= perms


def test_archivists_import_export_and_read():
    perms = codenames("档案员")
    assert {"import_issue", "export_issue", "view_issue", "view_article"} <= perms
    assert not {p for p in perms if p.startswith(("add_", "change_", "delete_", "publish_"))}


# --- an 编辑 cannot publish, whatever the way ------------------------------------------


@pytest.fixture
def in_review():
    issue = IssueFactory(status=Status.DRAFT, published_at=None)
    return ArticleFactory(issue=issue, title="待审的文章", status=Status.REVIEW, published_at=None)


def assert_unpublished(article):
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert article.published_at is None
    assert not article.events.filter(to_status=Status.PUBLISHED).exists()


def test_the_service_refuses_an_editor(in_review, staff_editor):
    with pytest.raises(NotPermitted) as refused:
        article_publish(article=in_review, by=staff_editor)
    assert str(refused.value) == "用户 bianji 没有发布文章的权限。只有主编可以发布或撤回。"
    assert_unpublished(in_review)


def test_the_publish_action_is_not_offered_and_a_crafted_action_post_does_nothing(
    in_review, staff_editor
):
    editor = logged_in(staff_editor)
    changelist = reverse("admin:articles_article_changelist")
    html = editor.get(changelist).content.decode()
    assert 'value="submit_selected"' in html
    assert 'value="publish_selected"' not in html
    assert 'value="withdraw_selected"' not in html

    for data in (
        {"action": "publish_selected", "_selected_action": [in_review.pk]},
        {"action": "publish_selected", "_selected_action": [in_review.pk], "confirm": "1"},
    ):
        editor.post(changelist, data)
        assert_unpublished(in_review)


def test_the_change_form_has_no_status_field_and_a_crafted_status_is_ignored(
    in_review, staff_editor
):
    editor = logged_in(staff_editor)
    url = reverse("admin:articles_article_change", args=[in_review.pk])
    page = editor.get(url)
    data = form_data(page, "article_form")
    assert "status" not in data and "published_at_0" not in data

    response = editor.post(
        url,
        {
            **data,
            "title": "编辑改过的标题",
            "status": "published",
            "published_at_0": "2020-01-01",
            "published_at_1": "08:00:00",
        },
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.title == "编辑改过的标题"  # the rest of the form was saved
    assert_unpublished(in_review)


def test_the_workflow_url_answers_403_to_an_editor(in_review, staff_editor):
    editor = logged_in(staff_editor)
    url = reverse("admin:articles_article_workflow", args=[in_review.pk, "publish"])
    assert editor.get(url).status_code == 403
    assert editor.post(url, {"note": ""}).status_code == 403
    assert_unpublished(in_review)
    page = editor.get(reverse("admin:articles_article_change", args=[in_review.pk]))
    assert url not in page.content.decode()


def test_an_editor_cannot_publish_an_issue_by_any_way(staff_editor):
    issue = IssueFactory(year=2020, number=4, total_number=43, status=Status.REVIEW)
    issue.status, issue.published_at = Status.REVIEW, None
    issue.save()
    ArticleFactory(issue=issue, status=Status.REVIEW)
    MastheadEntryFactory(issue=issue, role="主编")
    editor = logged_in(staff_editor)

    url = reverse("admin:issues_issue_workflow", args=[issue.pk, "publish"])
    assert editor.post(url, {"note": ""}).status_code == 403
    editor.post(
        reverse("admin:issues_issue_changelist"),
        {"action": "publish_selected", "_selected_action": [issue.pk], "confirm": "1"},
    )
    change = reverse("admin:issues_issue_change", args=[issue.pk])
    data = form_data(editor.get(change), "issue_form")
    assert editor.post(change, {**data, "status": "published"}).status_code == 302
    with pytest.raises(CommandError, match="用户 bianji 没有发布期刊的权限"):
        call_command("publish_issue", "2020", "4", "--user", "bianji", stdout=io.StringIO())

    issue.refresh_from_db()
    assert issue.status == Status.REVIEW
    assert not issue.events.exists()
    assert not issue.articles.filter(status=Status.PUBLISHED).exists()


def test_an_editor_may_submit_and_take_back_to_draft(staff_editor):
    issue = IssueFactory(status=Status.DRAFT, published_at=None)
    issue_submit(issue=issue, by=staff_editor)
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    article_submit(article=article, by=staff_editor)
    assert (issue.status, article.status) == (Status.REVIEW, Status.REVIEW)


def test_an_inactive_chief_editor_can_no_longer_publish(in_review, chief_editor):
    chief_editor.is_active = False
    chief_editor.save()
    with pytest.raises(NotPermitted):
        article_publish(article=in_review, by=chief_editor)


# --- published content is the 主编's -----------------------------------------------------


def test_an_edit_of_published_text_is_a_revision_for_the_editor_and_the_chief_alike(
    staff_editor, chief_editor
):
    article = ArticleFactory(title="已发布的文章")
    url = reverse("admin:articles_article_change", args=[article.pk])
    for user, title in [(staff_editor, "编辑更正的标题"), (chief_editor, "主编更正的标题")]:
        client = logged_in(user)
        page = client.get(url).content.decode()
        assert "修改已发布的内容会保存为修改稿" in page or "有未发布的修改" in page
        data = form_data(client.get(url), "article_form")
        assert client.post(url, {**data, "title": title}).status_code == 302
        article.refresh_from_db()
        assert article.title == "已发布的文章"  # readers see it unchanged
        assert Revision.objects.of(article).get().data["fields"]["title"] == title


def test_news_items_of_a_published_issue_are_read_only_for_an_editor(staff_editor):
    item = NewsItemFactory(text="已发布的工作动态")
    url = reverse("admin:articles_newsitem_change", args=[item.pk])
    assert logged_in(staff_editor).post(url, {"text": "改"}).status_code == 403
    item.refresh_from_db()
    assert item.text == "已发布的工作动态"


def test_restoring_needs_the_change_permission_not_only_view(archivist):
    article = ArticleFactory(title="原来的标题", status=Status.DRAFT, published_at=None)
    first = article.history.get()
    article.title = "现在的标题"
    article.save()
    client = logged_in(archivist)
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    page = client.get(url)
    assert page.status_code == 200  # may look at the old version
    assert client.post(url, {"title": "原来的标题"}).status_code == 403
    article.refresh_from_db()
    assert article.title == "现在的标题"


def test_an_editor_cannot_restore_a_published_article(staff_editor):
    article = ArticleFactory(title="已发布", body="<p>甲</p>")
    first = article.history.get()
    article.body = "<p>乙</p>"
    article.save()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    response = logged_in(staff_editor).post(url, {"body": "<p>甲</p>"}, follow=True)
    assert "已发布的内容不能直接恢复旧版本" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>乙</p>"


def test_people_and_news_items_keep_the_same_guard_on_restoring(archivist, staff_editor):
    person = PersonFactory(name="张三")
    person.name = "张三丰"
    person.save()
    url = reverse(
        "admin:members_person_simple_history", args=[person.pk, person.history.earliest().pk]
    )
    assert logged_in(archivist).get(url).status_code == 200
    assert logged_in(archivist).post(url, {"name": "张三"}).status_code == 403

    item = NewsItemFactory(text="已发布的工作动态")  # in a published issue
    item.text = "改过的工作动态"
    item.save()
    url = reverse(
        "admin:articles_newsitem_simple_history", args=[item.pk, item.history.earliest().pk]
    )
    assert logged_in(staff_editor).post(url, {"text": "已发布的工作动态"}).status_code == 403
    person.refresh_from_db()
    item.refresh_from_db()
    assert (person.name, item.text) == ("张三丰", "改过的工作动态")


# --- preview is for staff with change permission only --------------------------------


@pytest.mark.parametrize("who", ["anonymous", "reader", "archivist"])
def test_preview_is_a_404_for_readers_and_staff_without_change_permission(
    who, django_user_model, archivist
):
    issue = IssueFactory(status=Status.DRAFT, published_at=None)
    article = ArticleFactory(issue=issue, title="未发布的草稿", status=Status.DRAFT)
    client = Client()
    if who == "reader":
        client.force_login(django_user_model.objects.create_user("duzhe"))
    elif who == "archivist":
        client.force_login(archivist)
    for url in (
        reverse("preview:article", args=[article.pk]),
        reverse("preview:issue", args=[issue.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "未发布的草稿" not in response.content.decode()


def test_an_editor_cannot_move_a_published_article_into_a_published_issue(staff_editor):
    unpublished_issue = IssueFactory(status=Status.DRAFT, published_at=None)
    live_issue = IssueFactory()
    article = ArticleFactory(issue=unpublished_issue, title="已发布、期刊未发布")
    url = reverse("admin:articles_article_change", args=[article.pk])
    editor = logged_in(staff_editor)
    data = form_data(editor.get(url), "article_form")
    assert "issue" not in data
    response = editor.post(url, {**data, "issue": live_issue.pk, "toc_position": 9})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.issue == unpublished_issue
    assert article.toc_position == 9


def test_the_publication_time_is_not_a_form_field_even_for_the_chief(chief_editor):
    article = ArticleFactory(status=Status.REVIEW, published_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    chief = logged_in(chief_editor)
    data = form_data(chief.get(url), "article_form")
    assert "published_at_0" not in data
    chief.post(url, {**data, "published_at_0": "2020-01-01", "published_at_1": "08:00"})
    article.refresh_from_db()
    assert article.published_at is None


def test_an_editor_cannot_reschedule(staff_editor, chief_editor):
    import datetime

    from django.utils import timezone

    from articles.services import article_reschedule

    article = ArticleFactory(
        status=Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=3)
    )
    with pytest.raises(NotPermitted, match="没有改期文章的权限"):
        article_reschedule(article=article, by=staff_editor, at=timezone.now())
    url = reverse("admin:articles_article_workflow", args=[article.pk, "reschedule"])
    assert logged_in(staff_editor).post(url, {"at_0": "2020-01-01"}).status_code == 403


def test_the_read_only_workflow_fields_say_how_they_change(staff_editor):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = logged_in(staff_editor).get(url).content.decode()
    assert "用本页右上方的按钮改变：提交审核、发布、撤回、退回草稿。" in html
    assert "由“发布”或“改期”设定" in html
