"""The search page in Chromium: every kind of result reached from the header's search
form, and the page at 320 px whatever the filters list (tests/site/test_browser.py
covers the other pages)."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import chromium_beside_the_orm
from tests.factories import ArticleFactory, AuthorshipFactory, ColumnFactory, PersonFactory
from tests.site.sample import build_sample_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_POSITION = "晋城市政协经济委员会副主任兼文化文史和学习委员会委员暨特邀研究员" * 3
LONG_QUERY = "supercalifragilisticexpialidocious" * 2


@pytest.fixture(scope="module")
def browser():
    with chromium_beside_the_orm() as browser:
        yield browser


@pytest.fixture
def sample(transactional_db):
    site = build_sample_site()
    # An author whose long position is in the 作者 filter, a long column name.
    column = ColumnFactory(name="政协委员履职风采与提案办理协商成果专栏展示", slug="lvzhi")
    article = ArticleFactory(issue=site.issue, column=column, toc_position=20, title="履职风采")
    author = PersonFactory(name="欧阳长名字", position=LONG_POSITION)
    AuthorshipFactory(article=article, person=author)
    site.long_author = author
    return site


@pytest.fixture
def page(browser, live_server, sample):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


AXE = Axe()


def assert_accessible(page):
    results = AXE.run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def search_from_header(page, words):
    page.goto(page.base + "/")
    page.locator("#site-search-q").fill(words)
    page.locator("#site-search-q").press("Enter")
    page.wait_for_url("**/search/?q=*")


def first_result_link(page):
    return page.locator("article.search-result").first.locator("a").first


def test_a_news_item_word_finds_the_item_and_leads_to_its_page(page, sample):
    search_from_header(page, "创文")
    assert page.locator(".search-kinds").inner_text().split() == [
        "全部", "期刊", "0", "人物", "0", "工作动态", "1", "文章", "0",
    ]  # fmt: skip
    link = first_result_link(page)
    assert link.inner_text() == "2020年8月14日下午"
    assert_accessible(page)
    link.click()
    page.wait_for_url(f"**{sample.items.second.get_absolute_url()}")


def test_a_person_and_an_issue_are_found_by_name_and_number(page, sample):
    search_from_header(page, "张志川")
    link = first_result_link(page)
    assert link.inner_text() == "张志川"
    link.click()
    page.wait_for_url(f"**{sample.people['张志川'].get_absolute_url()}")

    for query in ["2020年第4期", "总第43期", "2020-4"]:
        search_from_header(page, query)
        assert first_result_link(page).inner_text() == "《晋城政协》2020年第4期（总第43期）"
    first_result_link(page).click()
    page.wait_for_url("**/issues/2020/4/")


def test_the_search_page_fits_320px_with_long_filter_values(page, sample):
    page.set_viewport_size({"width": 320, "height": 640})
    author = sample.long_author.pk
    for query in [
        f"?q=政协&author={author}",
        f"?q={LONG_QUERY}&column=lvzhi&author={author}&year=2020",
        "?q=履职&kind=article",
        "?q=",
    ]:
        page.goto(page.base + "/search/" + query)
        assert page.locator("#id_author option", has_text=LONG_POSITION[:20]).count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{query} scrolls sideways: {width}px"
    assert_accessible(page)
