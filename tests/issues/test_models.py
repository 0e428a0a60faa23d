import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from issues.models import Issue
from tests.factories import ArticleFactory, IssueFactory, MastheadEntryFactory, PersonFactory
from workflow.models import Status

pytestmark = pytest.mark.django_db


def test_str_is_how_an_editor_says_it():
    issue = IssueFactory(year=2020, number=4, total_number=43)
    assert str(issue) == "2020年第4期（总第43期）"
    assert issue.get_absolute_url() == "/issues/2020/4/"


def test_a_second_2020_4_is_refused_with_a_clear_message():
    IssueFactory(year=2020, number=4, total_number=43)
    duplicate = Issue(year=2020, number=4, total_number=44)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.messages == ["2020年第4期已经存在，不能重复创建。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_running_number_used_twice_is_refused():
    IssueFactory(year=2020, number=4, total_number=43)
    other = Issue(year=2020, number=5, total_number=43)
    with pytest.raises(ValidationError) as excinfo:
        other.full_clean()
    assert excinfo.value.message_dict == {
        "total_number": ["总第43期已被使用（已用于2020年第4期）。"]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_publishing_without_a_time_takes_now():
    issue = IssueFactory(status=Status.DRAFT, published_at=None)
    issue.status = Status.PUBLISHED
    before = timezone.now()
    issue.save()
    assert before <= issue.published_at <= timezone.now()


def test_published_and_visible_to():
    from django.contrib.auth.models import AnonymousUser, User

    now = timezone.now()
    live = IssueFactory(number=1)
    IssueFactory(number=2, status=Status.DRAFT)
    IssueFactory(number=3, published_at=now + datetime.timedelta(hours=1))
    internal = IssueFactory(number=4, visibility="internal")
    assert set(Issue.objects.published()) == {live, internal}
    assert list(Issue.objects.visible_to(AnonymousUser())) == [live]
    reader = User(username="reader", pk=1)
    assert set(Issue.objects.visible_to(reader)) == {live, internal}


def test_each_issue_keeps_its_own_board():
    chair = PersonFactory(name="常国荣")
    first = IssueFactory(number=3)
    second = IssueFactory(number=4)
    MastheadEntryFactory(issue=first, role="主任", person=chair, position=1)
    MastheadEntryFactory(issue=second, role="主任", person=chair, position=1)
    MastheadEntryFactory(issue=second, role="主编", person=PersonFactory(name="和贵喜"), position=2)
    assert [str(m) for m in first.masthead.all()] == ["主任：常国荣"]
    assert [str(m) for m in second.masthead.all()] == ["主任：常国荣", "主编：和贵喜"]


def test_deleting_an_issue_removes_its_articles_but_not_people():
    article = ArticleFactory()
    article.issue.delete()
    assert not type(article).objects.exists()
