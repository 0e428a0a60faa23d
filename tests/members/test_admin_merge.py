import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from members.models import Person
from tests.factories import (
    AuthorshipFactory,
    MastheadEntryFactory,
    NewsItemFactory,
    PersonFactory,
)

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
