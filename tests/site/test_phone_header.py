"""适老化 on a phone (375×667): the header leaves at least three quarters of the first
screen to the page, and every navigation link stays reachable by keyboard."""

import pytest

from tests.browser import chromium_beside_the_orm
from tests.site.sample import build_sample_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def browser():
    with chromium_beside_the_orm() as browser:
        yield browser


def test_header_takes_less_than_a_quarter_of_a_phone_screen(browser, live_server):
    build_sample_site()
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    for path in ["/", "/issues/2020/4/", "/issues/2020/4/articles/5/", "/search/?q=政协"]:
        page.goto(live_server.url + path)
        height = page.evaluate("document.querySelector('.site-header').offsetHeight")
        assert height < PHONE["height"] / 4, f"{path}: header {height}px of 667px"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path

    # The last navigation link is reached with Tab and scrolled into view.
    page.goto(live_server.url + "/")
    last = page.locator(".site-nav a").last
    assert last.inner_text() == "动态时间线"
    for _ in range(30):
        page.keyboard.press("Tab")
        if last.evaluate("a => a === document.activeElement"):
            break
    assert last.evaluate("a => a === document.activeElement")
    box = last.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
