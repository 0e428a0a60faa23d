import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from articles.models import Authorship
from issues.models import MastheadEntry
from members.models import Person
from members.services import person_merge
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    MastheadEntryFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def test_merge_combines_a_byline_both_people_share():
    target = PersonFactory(name="姚逊")
    duplicate = PersonFactory(name="姚逊")
    article = ArticleFactory(title="关于制定实施意见的说明")
    AuthorshipFactory(article=article, person=target, byline_title="", position=2)
    AuthorshipFactory(article=article, person=duplicate, byline_title="市政协主席", position=1)
    other_article = ArticleFactory()
    moved = AuthorshipFactory(article=other_article, person=duplicate, byline_title="市政协副主席")

    assert person_merge(target=target, others=[duplicate]) == 1

    bylines = list(
        Authorship.objects.filter(article=article).values_list("person", "byline_title", "position")
    )
    # One byline, the target's, with the title only the duplicate carried and the
    # earlier place in the byline.
    assert bylines == [(target.pk, "市政协主席", 1)]
    moved.refresh_from_db()
    assert moved.person == target and moved.byline_title == "市政协副主席"
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_merge_of_two_duplicates_on_one_article_keeps_one_byline():
    target = PersonFactory()
    first, second = PersonFactory(), PersonFactory()
    article = ArticleFactory()
    AuthorshipFactory(article=article, person=first, byline_title="政协委员", position=0)
    AuthorshipFactory(article=article, person=second, byline_title="", position=1)

    assert person_merge(target=target, others=[first, second]) == 2

    bylines = list(Authorship.objects.filter(article=article).values_list("person", "byline_title"))
    assert bylines == [(target.pk, "政协委员")]


def test_merge_combines_a_shared_masthead_seat():
    issue = IssueFactory()
    target, duplicate = PersonFactory(name="王晓华"), PersonFactory(name="王晓华")
    MastheadEntryFactory(issue=issue, person=target, role="编委", position=5)
    MastheadEntryFactory(issue=issue, person=duplicate, role="编委", position=3)
    # Another role on the same board is a seat of its own and moves as it is.
    MastheadEntryFactory(issue=issue, person=duplicate, role="副主编", position=4)

    person_merge(target=target, others=[duplicate])

    seats = list(
        MastheadEntry.objects.filter(issue=issue)
        .order_by("position")
        .values_list("person", "role", "position")
    )
    assert seats == [(target.pk, "编委", 3), (target.pk, "副主编", 4)]


def test_admin_merge_of_people_sharing_a_byline_and_a_seat_succeeds(editor_client):
    first, second = PersonFactory(name="李正根"), PersonFactory(name="李正根")
    article = ArticleFactory()
    AuthorshipFactory(article=article, person=first)
    AuthorshipFactory(article=article, person=second)
    issue = IssueFactory()
    MastheadEntryFactory(issue=issue, person=first, role="主任")
    MastheadEntryFactory(issue=issue, person=second, role="主任")

    response = editor_client.post(
        reverse("admin:members_person_changelist"),
        {
            "action": "merge_people",
            ACTION_CHECKBOX_NAME: [first.pk, second.pk],
            "confirm": "1",
            "target": first.pk,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "已将 1 个人物合并到“李正根”。" in response.content.decode()
    assert list(Person.objects.filter(name="李正根")) == [first]
    assert Authorship.objects.filter(article=article).count() == 1
    assert MastheadEntry.objects.filter(issue=issue).count() == 1
