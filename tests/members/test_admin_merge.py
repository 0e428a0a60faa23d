import datetime
import logging

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from members.models import Person
from tests.factories import (
    AuthorshipFactory,
    MastheadEntryFactory,
    NewsItemFactory,
    PersonFactory,
)
from workflow.models import Status

pytestmark = pytest.mark.django_db


def test_two_people_with_one_name_stay_apart_until_merged(editor_client):
    first = PersonFactory(name="李正根", position="泽州县政协主席")
    second = PersonFactory(name="李正根", bio="泽州县人。")
    byline = AuthorshipFactory(person=second, byline_title="泽州县政协党组书记、主席")
    seat = MastheadEntryFactory(person=second, role="编委")
    news = NewsItemFactory()
    news.people.add(second)
    assert Person.objects.filter(name="李正根").count() == 2

    url = reverse("admin:members_person_changelist")
    ids = [first.pk, second.pk]
    confirm_page = editor_client.post(url, {"action": "merge_people", ACTION_CHECKBOX_NAME: ids})
    assert confirm_page.status_code == 200
    assert "确认合并" in confirm_page.content.decode()
    assert Person.objects.filter(name="李正根").count() == 2  # nothing merged before confirming

    done = editor_client.post(
        url,
        {"action": "merge_people", ACTION_CHECKBOX_NAME: ids, "confirm": "1", "target": first.pk},
    )
    assert done.status_code == 302
    assert list(Person.objects.filter(name="李正根")) == [first]
    byline.refresh_from_db()
    seat.refresh_from_db()
    assert byline.person == first and byline.byline_title == "泽州县政协党组书记、主席"
    assert seat.person == first
    assert list(news.people.all()) == [first]
    first.refresh_from_db()
    assert first.position == "泽州县政协主席" and first.bio == "泽州县人。"


def test_merge_needs_two_people(editor_client):
    person = PersonFactory()
    response = editor_client.post(
        reverse("admin:members_person_changelist"),
        {"action": "merge_people", ACTION_CHECKBOX_NAME: [person.pk]},
        follow=True,
    )
    assert "请至少选择两个人物再合并" in response.content.decode()


# --- The merge is a deletion and, for published bylines, a change to published content --


def merge(client, target, other):
    return client.post(
        reverse("admin:members_person_changelist"),
        {
            "action": "merge_people",
            ACTION_CHECKBOX_NAME: [target.pk, other.pk],
            "confirm": "1",
            "target": target.pk,
        },
        follow=True,
    )


def grant(user, codename):
    user.user_permissions.add(Permission.objects.get(codename=codename))
    return type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions


@pytest.fixture
def impostor_in_published_byline():
    """张三 and a new person "冒名者" who signs a published article: merging 冒名者 into
    张三 would print 张三 under that article."""
    author = PersonFactory(name="张三")
    impostor = PersonFactory(name="冒名者")
    byline = AuthorshipFactory(person=impostor, article__title="在全市政协工作会议上的讲话")
    return author, impostor, byline


def test_an_editor_without_delete_permission_cannot_merge(
    client, staff_editor, impostor_in_published_byline
):
    author, impostor, byline = impostor_in_published_byline
    draft_byline = AuthorshipFactory(person=impostor, article__status=Status.DRAFT)
    client.force_login(staff_editor)

    for data in (
        {"action": "merge_people", ACTION_CHECKBOX_NAME: [author.pk, impostor.pk]},
        {
            "action": "merge_people",
            ACTION_CHECKBOX_NAME: [author.pk, impostor.pk],
            "confirm": "1",
            "target": author.pk,
        },
    ):
        response = client.post(reverse("admin:members_person_changelist"), data, follow=True)
        assert "确认合并" not in response.content.decode()
        # The changelist again: no action is offered to this user, none runs.
        assert response.status_code == 200
        assert "merge_people" not in response.content.decode()

    assert set(Person.objects.values_list("name", flat=True)) == {"张三", "冒名者"}
    byline.refresh_from_db()
    draft_byline.refresh_from_db()
    assert byline.person == impostor and draft_byline.person == impostor


def test_the_merge_action_is_offered_only_with_the_delete_permission(client, staff_editor):
    PersonFactory()
    client.force_login(staff_editor)
    page = client.get(reverse("admin:members_person_changelist")).content.decode()
    assert "merge_people" not in page

    client.force_login(grant(staff_editor, "delete_person"))
    page = client.get(reverse("admin:members_person_changelist")).content.decode()
    assert "merge_people" in page


@pytest.mark.parametrize("when", ["live", "scheduled"])
def test_an_editor_cannot_change_a_published_byline_by_merging(
    client, staff_editor, impostor_in_published_byline, when
):
    author, impostor, byline = impostor_in_published_byline
    if when == "scheduled":
        Article.objects.filter(pk=byline.article_id).update(
            published_at=timezone.now() + datetime.timedelta(days=2)
        )
        assert Article.objects.scheduled().filter(pk=byline.article_id).exists()
    client.force_login(grant(staff_editor, "delete_person"))

    response = merge(client, author, impostor)

    page = response.content.decode()
    assert "不能合并" in page and "《在全市政协工作会议上的讲话》" in page
    assert set(Person.objects.values_list("name", flat=True)) == {"张三", "冒名者"}
    byline.refresh_from_db()
    assert byline.person == impostor
    assert byline.article.history.count() == 1  # only its creation
    assert not LogEntry.objects.exists()


def test_an_editor_with_delete_permission_may_merge_into_a_draft_byline(client, staff_editor):
    author = PersonFactory(name="张三")
    impostor = PersonFactory(name="冒名者")
    draft = AuthorshipFactory(person=impostor, article__status=Status.DRAFT)
    client.force_login(grant(staff_editor, "delete_person"))

    response = merge(client, author, impostor)

    assert "已将 1 个人物合并到“张三”" in response.content.decode()
    draft.refresh_from_db()
    assert draft.person == author
    assert draft.article.history.first().history_change_reason == "人物合并：冒名者 → 张三"


def test_the_chief_editor_merges_with_history_and_an_audit_line(
    client, chief_editor, impostor_in_published_byline, caplog
):
    author, impostor, byline = impostor_in_published_byline
    article = byline.article
    client.force_login(chief_editor)

    with caplog.at_level(logging.INFO, logger="jczx.admin"):
        response = merge(client, author, impostor)

    assert "已将 1 个人物合并到“张三”" in response.content.decode()
    assert list(Person.objects.values_list("name", flat=True)) == ["张三"]
    byline.refresh_from_db()
    assert byline.person == author
    latest = article.history.first()
    assert article.history.count() == 2
    assert latest.history_type == "~"
    assert latest.history_change_reason == "人物合并：冒名者 → 张三"
    assert latest.history_user == chief_editor
    records = [
        (r.action, r.object.split(" ")[0], r.result, getattr(r, "change", None))
        for r in caplog.records
        if getattr(r, "action", None) in {"change", "delete", "merge", "post"}
    ]
    assert sorted(records) == sorted(
        [
            ("merge", f"members.person:{author.pk}", "success", None),
            ("delete", f"members.person:{impostor.pk}", "success", None),
            ("change", f"articles.article:{article.pk}", "success", "人物合并：冒名者 → 张三"),
        ]
    )


def test_merging_a_same_name_duplicate_changes_no_byline(client, staff_editor):
    """The common case: the importer made two records of one person. Readers see the
    same byline afterwards, so an 编辑 may merge even where it is published."""
    first = PersonFactory(name="李正根")
    second = PersonFactory(name="李正根")
    byline = AuthorshipFactory(person=second)
    client.force_login(grant(staff_editor, "delete_person"))

    response = merge(client, first, second)

    assert "已将 1 个人物合并到“李正根”" in response.content.decode()
    byline.refresh_from_db()
    assert byline.person == first
    assert byline.article.history.count() == 1


def test_a_published_issues_masthead_follows_the_same_rule(client, staff_editor, chief_editor):
    author = PersonFactory(name="张三")
    impostor = PersonFactory(name="冒名者")
    seat = MastheadEntryFactory(person=impostor, role="编委")
    issue = seat.issue
    client.force_login(grant(staff_editor, "delete_person"))

    refused = merge(client, author, impostor).content.decode()

    assert "不能合并" in refused and f"《{issue}》" in refused
    seat.refresh_from_db()
    assert seat.person == impostor

    client.force_login(chief_editor)
    merge(client, author, impostor)

    seat.refresh_from_db()
    assert seat.person == author
    assert issue.history.first().history_change_reason == "人物合并：冒名者 → 张三"
