"""The public site in a real browser: Playwright driving Debian's Chromium against
pytest-django's live server, with axe-core (bundled by axe-playwright-python, injected
from the local file: no network) checking each page.

Run alone: ``make test PYTEST_ARGS="-m browser"``.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser import chromium_beside_the_orm
from tests.site.sample import build_sample_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    with chromium_beside_the_orm() as browser:
        yield browser


@pytest.fixture
def sample(transactional_db):
    return build_sample_site()


@pytest.fixture
def page(browser, live_server, sample):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    foreign = []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else foreign.append(request.url)
        ),
    )
    page.base = live_server.url
    yield page
    context.close()
    assert foreign == [], "the site must load nothing from other hosts"


AXE = Axe()


def assert_accessible(page):
    results = AXE.run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def test_reader_goes_from_home_to_an_issue_to_an_article_and_the_next(page):
    page.goto(page.base + "/")
    assert_accessible(page)
    page.get_by_role("link", name="阅读本期目录").click()
    page.wait_for_url("**/issues/2020/4/")
    assert page.locator("h1").inner_text() == "2020年第4期"
    assert_accessible(page)
    page.locator(".toc-title", has_text="在市委政协工作会议上的讲话").click()
    page.wait_for_url("**/issues/2020/4/articles/5/")
    assert page.locator("h1").inner_text() == "在市委政协工作会议上的讲话"
    assert_accessible(page)
    page.locator("a[rel=next]").click()
    page.wait_for_url("**/issues/2020/4/articles/6/")
    assert page.locator("h1").inner_text() == (
        "中共晋城市委关于新时代加强和改进人民政协工作的实施意见"
    )


def test_archive_by_year(page):
    page.goto(page.base + "/issues/")
    assert_accessible(page)
    page.locator(".year-index").get_by_role("link", name="2019年").click()
    year = page.locator("#year-2019")
    assert year.locator("h2").inner_text() == "2019年"
    year.get_by_role("link").first.click()
    page.wait_for_url("**/issues/2019/6/")
    assert page.locator("h1").inner_text() == "2019年第6期"


def test_font_size_switch_changes_the_text_and_is_remembered(page):
    url = page.base + "/issues/2020/4/articles/5/"
    page.goto(url)
    paragraph = page.locator(".article-body p").first

    def size():
        return float(paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)"))

    normal = size()
    assert normal >= 18  # large by default for older readers
    page.get_by_role("button", name="特大").click()
    assert size() > normal * 1.2
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    page.reload()
    assert size() > normal * 1.2
    assert page.get_by_role("button", name="特大").get_attribute("aria-pressed") == "true"
    page.goto(page.base + "/issues/2020/4/")  # the choice applies across the site
    assert page.evaluate("document.documentElement.dataset.fontSize") == "xlarge"
    page.goto(url)
    page.get_by_role("button", name="标准").click()
    assert size() == normal


def test_copy_link_button_copies_the_article_address(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(page.base + "/issues/2020/4/articles/9/")
    page.get_by_role("button", name="复制链接").click()
    # The clipboard answers asynchronously: wait for the message (up to 5 s).
    expect(page.locator("#copy-link-status")).to_have_text("链接已复制。", timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == (
        page.base + "/issues/2020/4/articles/9/"
    )


PAGES = [
    "/",
    "/issues/",
    "/issues/2020/4/",
    "/issues/2020/4/articles/5/",
    "/issues/2020/4/articles/12/",
    "/columns/huiyizhuanti/",
    "/news/",
    "/no-such-page/",
]


def test_every_kind_of_page_fits_a_320px_phone_and_passes_axe(page, sample):
    person = sample.people["张志川"].get_absolute_url()
    page.set_viewport_size({"width": 320, "height": 640})
    for path in [*PAGES, person, sample.items.first.get_absolute_url()]:
        page.goto(page.base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} scrolls sideways: {width}px"
        assert_accessible(page)


def test_skip_link_and_focus_are_visible(page):
    page.goto(page.base + "/issues/2020/4/articles/5/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("a => a === document.activeElement")
    assert skip.bounding_box()["y"] >= 0  # moved on screen when focused
    outline = skip.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
