"""站点设置 in Chromium: the administrator changes a setting in the admin and the footer
of a page readers already have from the page cache shows it at once."""

import pytest

from tests.browser import chromium_beside_the_orm
from tests.factories import IssueFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def browser():
    with chromium_beside_the_orm() as browser:
        yield browser


def anonymous_visit(browser, url):
    """The footer's 备案 line and the page cache's verdict, from a fresh browser (no
    HTTP cache of its own)."""
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(url)
    found = page.locator(".site-footer").inner_text(), response.headers.get("x-page-cache")
    context.close()
    return found


def test_a_changed_setting_shows_in_the_footer_of_a_cached_page_at_once(
    browser, live_server, settings, django_user_model
):
    settings.JCZX_PAGE_CACHE = True
    IssueFactory(year=2020, number=4, total_number=43)
    django_user_model.objects.create_superuser("chief", "", PASSWORD)
    home = live_server.url + "/"

    anonymous_visit(browser, home)
    footer, cache = anonymous_visit(browser, home)
    assert cache == "hit"
    assert "主办单位：政协晋城市委员会" in footer and "ICP备" not in footer

    admin = browser.new_context().new_page()
    admin.goto(live_server.url + "/admin/login/?next=/admin/sitesettings/sitesettings/")
    admin.fill("#id_username", "chief")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url("**/admin/sitesettings/sitesettings/1/change/")
    admin.fill("#id_icp_number", "晋ICP备12345678号-1")
    admin.fill("#id_organizer", "晋城市政协办公室")
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")

    footer, cache = anonymous_visit(browser, home)
    assert cache == "miss"
    assert "晋ICP备12345678号-1" in footer
    assert "承办单位：晋城市政协办公室" in footer
