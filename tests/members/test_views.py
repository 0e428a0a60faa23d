"""Person pages: what a person wrote, said or reported, their 编委会 seats, and the
工作动态 naming them — only what the reader may see."""

import pytest

from tests.factories import AuthorshipFactory, MastheadEntryFactory
from tests.site.html import hrefs, parse, select, select_one, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(sample_site):
    return sample_site


def test_person_page_lists_bylines_with_the_title_printed_each_time(client, sample):
    person = sample.people["刘佳义"]
    page = parse(client.get(person.get_absolute_url()))
    assert text(select_one(page, "h1")) == "刘佳义"
    entries = select(select_one(page, "ol", "person-articles"), "li")
    assert [text(select_one(e, "a", "person-article-title")) for e in entries] == [
        "新时代人民政协的行动指南",
        "坚持和完善人民政协制度",
    ]
    metas = [text(select_one(e, "span", "meta")) for e in entries]
    assert metas == [
        "作者·署名：省政协副主席 刘佳义·2020年第4期·学习论坛·第7–13页",
        "作者·署名：省政协主席 刘佳义·2020年第3期·学习论坛·第5–9页",
    ]


def test_person_page_shows_masthead_roles_per_issue(client, sample):
    person = sample.people["武四海"]
    MastheadEntryFactory(issue=sample.older, role="副主任", person=person)
    MastheadEntryFactory(issue=sample.internal, role="主任", person=person)
    page = parse(client.get(person.get_absolute_url()))
    roles = [text(li) for li in select(select_one(page, "ul", "person-masthead"), "li")]
    assert roles == ["2020年第4期：编委", "2020年第3期：副主任"]  # not the internal issue


def test_person_page_lists_news_items_naming_them(client, sample):
    person = sample.people["郭向阳"]
    page = parse(client.get(person.get_absolute_url()))
    assert sample.items.second.get_absolute_url() in hrefs(page)
    assert "工作动态（1条）" in [text(h) for h in select(page, "h2")]


def test_person_known_only_from_a_draft_is_404(client, sample):
    assert client.get(sample.draft_only.get_absolute_url()).status_code == 404


def test_person_page_leaves_out_bylines_in_drafts(client, sample):
    AuthorshipFactory(article=sample.articles.draft, person=sample.people["姚逊"])
    html = client.get(sample.people["姚逊"].get_absolute_url()).content.decode()
    assert "关于制定《实施意见》的说明" in html
    assert "尚未审定的草稿文章" not in html


def test_person_of_an_internal_issue_is_seen_by_signed_in_readers_only(
    client, django_user_model, sample
):
    url = sample.internal_only.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(url)
    assert response.status_code == 200
    assert "内部资料中的学习文章" in response.content.decode()


def test_unknown_person_is_404(client, sample):
    assert client.get("/people/999999/").status_code == 404
    assert client.get("/people/99999999999999999999/").status_code == 404
