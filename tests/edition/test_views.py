"""The reader of the 电子版: the grid of pages, a page with 本页文章, the way in from the
issue's go-to-page form and an article's 查看原版."""

import pytest
from django.urls import reverse

from tests.edition.conftest import attach_pdf, run_queued_tasks
from tests.factories import IssueFactory
from tests.pdfs import magazine_pdf
from tests.site.html import attr, hrefs, parse, select, select_one, text

pytestmark = pytest.mark.django_db

PAGES = "/issues/2020/4/pages/"


def links_named(root, name) -> list[str]:
    return [attr(a, "href") for a in select(root, "a") if text(a) == name]


def test_the_grid_shows_every_page_by_its_printed_label(client, rendered_issue):
    response = client.get(PAGES)
    assert response.status_code == 200
    grid = select_one(parse(response), "ol", "edition-grid")
    labels = [text(label) for label in select(grid, "span", "edition-grid-label")]
    assert labels == ["封面", "封二", *(f"第{n}页" for n in range(1, 11))]
    assert hrefs(grid)[:4] == [PAGES + "f1/", PAGES + "f2/", PAGES + "1/", PAGES + "2/"]
    thumbnails = select(grid, "img")
    assert {(attr(i, "width"), attr(i, "height"), attr(i, "loading")) for i in thumbnails} == {
        ("100", "142", "lazy")
    }


def test_page_seven_lists_its_articles_and_the_continued_part(
    client, rendered_issue, page_seven_articles, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(PAGES + "7/")
    assert response.status_code == 200
    page = parse(response)
    assert text(select_one(page, "h1")) == "2020年第4期·第7页"
    items = select(select_one(page, "ul", "edition-articles"), "li")
    assert [text(select_one(li, "a")) for li in items] == [
        "凝心聚力谱新篇",
        "协商民主的晋城实践",
        "委员履职故事",
    ]
    assert [attr(select_one(li, "a"), "href") for li in items] == [
        "/issues/2020/4/articles/2/",
        "/issues/2020/4/articles/3/",
        "/issues/2020/4/articles/4/",
    ]
    assert "转接部分" in text(items[2]) and "转接部分" not in text(items[0])
    assert "尚未发布的稿件" not in text(page)
    prev, next_ = (
        [attr(a, "href") for a in select(page, "a") if attr(a, "rel") == rel]
        for rel in ("prev", "next")
    )
    assert (prev, next_) == ([PAGES + "6/"], [PAGES + "8/"])
    assert text(select_one(page, "span", "edition-position")) == "9 / 12"
    image = select_one(page, "img", "edition-image")
    assert (attr(image, "width"), attr(image, "height")) == ("400", "566")
    assert attr(image, "alt") == "2020年第4期第7页版面"
    assert attr(image, "src").startswith("/media/edition/2020/")
    assert links_named(page, "下载本期PDF（印刷版）") == [rendered_issue.pdf.url]


def test_the_first_and_last_pages_have_one_neighbour(client, rendered_issue):
    cover = parse(client.get(PAGES + "f1/"))
    assert text(select_one(cover, "h1")) == "2020年第4期·封面"
    assert [attr(a, "href") for a in select(cover, "a") if attr(a, "rel")] == [PAGES + "f2/"]
    assert "本页没有可单独阅读的文章" in text(cover)
    last = parse(client.get(PAGES + "10/"))
    assert [attr(a, "href") for a in select(last, "a") if attr(a, "rel")] == [PAGES + "9/"]
    assert "已是最后一页" in text(last)


@pytest.mark.parametrize("missing", ["11/", "0/", "f3/", "f99/", "x/"])
def test_a_page_the_issue_does_not_have_is_404(client, rendered_issue, missing):
    assert client.get(PAGES + missing).status_code == 404


def test_an_issue_without_pages_has_no_reader(client, issue):
    assert client.get(PAGES).status_code == 404
    assert client.get(PAGES + "1/").status_code == 404


def test_the_go_to_page_form_leads_to_the_page(client, rendered_issue):
    issue_page = parse(client.get("/issues/2020/4/"))
    assert links_named(issue_page, "阅读电子版") == [PAGES]
    response = client.get("/issues/2020/4/page/", {"page": "7"})
    assert response.status_code == 302
    assert response["Location"] == PAGES + "7/"


def test_without_pages_the_form_still_leads_to_the_article(client, issue, page_seven_articles):
    response = client.get("/issues/2020/4/page/", {"page": "7"})
    assert response["Location"] == "/issues/2020/4/page/7/"
    assert links_named(parse(client.get("/issues/2020/4/")), "阅读电子版") == []


def test_an_article_links_to_its_first_printed_page(client, rendered_issue, page_seven_articles):
    page = parse(client.get("/issues/2020/4/articles/3/"))
    assert links_named(page, "查看原版") == [PAGES + "7/"]


def test_no_original_link_before_the_pages_exist(client, issue, page_seven_articles):
    page = parse(client.get("/issues/2020/4/articles/3/"))
    assert links_named(page, "查看原版") == []


def test_the_reader_loads_its_script_from_a_file(client, rendered_issue):
    scripts = select(parse(client.get(PAGES + "7/")), "script")
    assert all(attr(s, "src") for s in scripts), "no inline scripts (CSP)"
    assert "/static/edition/reader.js" in [attr(s, "src") for s in scripts]


def test_staff_preview_the_pages_of_a_draft(client, editor, rendered_issue):
    rendered_issue.status = "draft"
    rendered_issue.save()
    preview = reverse("preview:issue_pages", kwargs={"pk": rendered_issue.pk})
    assert client.get(PAGES).status_code == 404
    assert client.get(preview).status_code == 404
    client.force_login(editor)
    assert client.get(PAGES).status_code == 404  # the public address follows publication
    response = client.get(preview)
    assert response.status_code == 200
    assert "noindex" in response["X-Robots-Tag"]
    links = hrefs(select_one(parse(response), "ol", "edition-grid"))
    assert links[2] == f"/preview/issues/{rendered_issue.pk}/pages/1/"
    page = parse(client.get(links[2]))
    rel_links = [attr(a, "href") for a in select(page, "a") if attr(a, "rel") == "next"]
    assert rel_links == [f"/preview/issues/{rendered_issue.pk}/pages/2/"]


def test_new_pages_reach_anonymous_readers_through_the_page_cache(
    client, rendered_issue, page_cache
):
    client.get(PAGES)
    assert client.get(PAGES)["X-Page-Cache"] == "hit"

    attach_pdf(rendered_issue, magazine_pdf(5, 2), name="corrected.pdf")
    assert client.get(PAGES).status_code == 404  # not the old pages while it renders
    run_queued_tasks()
    response = client.get(PAGES)
    assert response["X-Page-Cache"] == "miss"
    grid = select_one(parse(response), "ol", "edition-grid")
    assert [text(s) for s in select(grid, "span", "edition-grid-label")] == [
        "封面",
        *(f"第{n}页" for n in range(1, 5)),
    ]


def test_rendering_one_issue_leaves_other_issues_pages_cached(
    client, issue, small_pages, page_cache
):
    """The issue page links 阅读电子版 as soon as its pages are ready; another issue's
    pages stay in the cache (scoped invalidation: pagecache.scopes)."""
    other = IssueFactory(year=2019, number=12, total_number=42).get_absolute_url()
    for url in (issue.get_absolute_url(), other):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert "阅读电子版" not in client.get(issue.get_absolute_url()).content.decode()

    attach_pdf(issue, magazine_pdf(4, 1))
    run_queued_tasks()

    response = client.get(issue.get_absolute_url())
    assert response["X-Page-Cache"] == "miss"
    assert "阅读电子版" in response.content.decode()
    assert client.get(other)["X-Page-Cache"] == "hit"
