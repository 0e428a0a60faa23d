"""适老化 reading modes (MIIT's 2020 guidelines, GB/T 37668): high contrast and wider line
spacing, on every page, by keyboard, remembered; axe finds nothing serious or critical on
any kind of page in any mode."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser import chromium_beside_the_orm
from tests.site.sample import build_sample_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; each test opens contexts of its own."""
    with chromium_beside_the_orm() as browser:
        yield browser


def serious_violations(page):
    results = AXE.run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


MODES = {
    "standard": {},
    "high contrast": {"jczx-contrast": "high"},
    "wide spacing, extra large": {"jczx-spacing": "wide", "jczx-font-size": "xlarge"},
    "high contrast, wide spacing": {"jczx-contrast": "high", "jczx-spacing": "wide"},
}


@pytest.mark.parametrize("mode", MODES)
def test_every_kind_of_page_passes_axe_in_every_mode(browser, live_server, mode):
    sample = build_sample_site()
    pages = [
        "/",
        "/issues/",
        "/issues/2020/4/",
        "/issues/2020/4/articles/5/",
        "/issues/2020/4/articles/12/",
        "/columns/huiyizhuanti/",
        "/news/",
        sample.items.first.get_absolute_url(),
        sample.people["张志川"].get_absolute_url(),
        "/search/?q=政协",
        "/no-such-page/",
    ]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    stored = "".join(f"localStorage.setItem({k!r}, {v!r});" for k, v in MODES[mode].items())
    context.add_init_script(stored)
    page = context.new_page()
    found = {}
    for path in pages:
        page.goto(live_server.url + path)
        for key, value in MODES[mode].items():  # jczx-contrast → <html data-contrast>
            attribute = "data-" + key.removeprefix("jczx-")
            assert page.evaluate(f"document.documentElement.getAttribute('{attribute}')") == value
        if violations := serious_violations(page):
            found[path] = violations
    context.close()
    assert found == {}


def test_modes_are_reached_by_keyboard_and_remembered(browser, live_server):
    build_sample_site()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + "/issues/2020/4/articles/5/")
    contrast = page.get_by_role("button", name="高对比度")
    spacing = page.get_by_role("button", name="加大行距")
    paragraph = page.locator(".article-body p").first
    normal_leading = paragraph.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
    for _ in range(10):  # skip link, home link, then the reading modes
        page.keyboard.press("Tab")
        if contrast.evaluate("b => b === document.activeElement"):
            break
    assert contrast.evaluate("b => b === document.activeElement")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert contrast.get_attribute("aria-pressed") == spacing.get_attribute("aria-pressed") == "true"
    background = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    assert page.evaluate(background) == "rgb(0, 0, 0)"
    assert paragraph.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)") > (
        normal_leading * 1.2
    )

    page.goto(live_server.url + "/issues/")  # remembered across pages and reloads
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"
    assert page.evaluate("document.documentElement.dataset.spacing") == "wide"
    assert page.get_by_role("button", name="高对比度").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="高对比度").click()  # and switched off again
    page.reload()
    assert page.evaluate("document.documentElement.dataset.contrast") is None
    assert page.evaluate(background) == "rgb(155, 28, 28)"
