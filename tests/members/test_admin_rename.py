"""A person's name is printed under bylines and on 编委会: renaming someone who signs
published content is a change to that content, which only who may publish it may make."""

import logging

import pytest
from django.urls import reverse

from members.models import Person
from tests.factories import AuthorshipFactory, MastheadEntryFactory, PersonFactory
from workflow.models import Status

pytestmark = pytest.mark.django_db


def rename(client, person, name):
    return client.post(
        reverse("admin:members_person_change", args=[person.pk]),
        {"name": name, "position": person.position, "sector": "", "party": "", "bio": ""},
        follow=True,
    )


def test_an_editor_cannot_rename_the_signer_of_a_published_article(client, staff_editor):
    person = PersonFactory(name="张三")
    AuthorshipFactory(person=person, article__title="在全市政协工作会议上的讲话")
    client.force_login(staff_editor)

    page = rename(client, person, "张叁").content.decode()

    assert "不能改名：“张三”的名字印在《在全市政协工作会议上的讲话》上" in page
    person.refresh_from_db()
    assert person.name == "张三"
    assert "张叁" not in client.get(person.get_absolute_url()).content.decode()


def test_an_editor_cannot_rename_a_seat_on_a_published_masthead(client, staff_editor):
    seat = MastheadEntryFactory(person__name="李四", role="编委")
    client.force_login(staff_editor)

    page = rename(client, seat.person, "李肆").content.decode()

    assert f"不能改名：“李四”的名字印在《{seat.issue}》上" in page
    assert Person.objects.get(pk=seat.person_id).name == "李四"


def test_an_editor_may_rename_someone_in_drafts_only_and_change_other_fields(client, staff_editor):
    drafted = PersonFactory(name="王五")
    AuthorshipFactory(person=drafted, article__status=Status.DRAFT)
    published = PersonFactory(name="赵六", position="")
    AuthorshipFactory(person=published)
    client.force_login(staff_editor)

    rename(client, drafted, "王伍")
    published.position = "市政协委员"
    rename(client, published, "赵六")  # the name unchanged: other fields may change

    assert Person.objects.get(pk=drafted.pk).name == "王伍"
    assert Person.objects.get(pk=published.pk).position == "市政协委员"


def test_the_chief_editor_renames_with_an_audit_line_per_changed_article(
    client, chief_editor, caplog
):
    person = PersonFactory(name="张三")
    byline = AuthorshipFactory(person=person, article__title="在全市政协工作会议上的讲话")
    client.force_login(chief_editor)

    with caplog.at_level(logging.INFO, logger="jczx.admin"):
        rename(client, person, "张叁")

    assert Person.objects.get(pk=person.pk).name == "张叁"
    changes = [
        (r.object.split(" ")[0], r.change)
        for r in caplog.records
        if getattr(r, "action", None) == "change"
    ]
    assert (f"articles.article:{byline.article_id}", "人物改名：张三 → 张叁") in changes
