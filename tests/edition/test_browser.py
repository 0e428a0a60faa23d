"""电子版 in Chromium, end to end: an editor uploads an issue's PDF in the admin; the
background worker renders its pages with nobody running a command; readers find page 7
from the issue's go-to-page form, read its 本页文章, turn pages with the arrow keys and
zoom, at 1280 px and on a 375 px phone (and 320 px), with axe checking each page.

The worker: on PostgreSQL the real ``manage.py db_worker`` process, started beside the
live server on the test database, as ``make run`` and production run it. On SQLite the
test database lives in this process's memory, out of another process's reach: the same
worker runs here (``db_worker --batch``) once the upload has returned."""

import datetime
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import CspWatcher, chromium_beside_the_orm
from tests.factories import IssueFactory
from tests.pdfs import magazine_pdf
from tests.processes import on_this_database
from workflow.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-42"
BASE_DIR = Path(__file__).resolve().parents[2]
AXE = Axe()


@pytest.fixture
def browser():
    with chromium_beside_the_orm() as browser:
        yield browser


@pytest.fixture
def issue(transactional_db):
    # In preparation: its PDF is written onto the row (a live issue's waits in a 修改稿).
    return IssueFactory(
        year=2020, number=4, total_number=43, status=Status.DRAFT, published_at=None
    )


@pytest.fixture
def worker():
    """The database worker as a process of its own, on this test's database and media
    folder; None on SQLite (see the module's docstring)."""
    if connection.vendor != "postgresql":
        yield None
        return
    env = on_this_database(MEDIA_ROOT=str(settings.MEDIA_ROOT), DJANGO_ALLOW_ASYNC_UNSAFE="")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def assert_accessible(page):
    results = AXE.run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()


def upload_in_admin(browser, base, issue):
    admin = browser.new_context(locale="zh-CN").new_page()
    admin.set_default_timeout(20_000)
    admin.goto(f"{base}/admin/login/?next=/admin/issues/issue/{issue.pk}/change/")
    admin.fill("#id_username", "chief")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url(f"**/admin/issues/issue/{issue.pk}/change/")
    admin.set_input_files(
        "#id_pdf",
        files=[{"name": "2020-4.pdf", "mimeType": "application/pdf", "buffer": magazine_pdf()}],
    )
    admin.click("input[name=_continue]")
    admin.wait_for_selector(".messagelist .success")
    expect(admin.locator(".fieldBox.field-edition_status .readonly")).to_contain_text("等待生成")
    return admin


def wait_for_pages(admin, worker, seconds=90):
    """Reload the issue's admin page until it says the pages are there."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        admin.reload()
        status = admin.locator(".fieldBox.field-edition_status .readonly").inner_text()
        if "已生成" in status or "失败" in status:
            return status
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"db_worker exited: {worker.stdout.read()}")
        time.sleep(0.5)
    pytest.fail(f"no pages after {seconds} s: {status}")


def reader_checks(page, base, width):
    page.goto(f"{base}/issues/2020/4/")
    page.get_by_label("按页码查找").fill("7")
    page.get_by_role("button", name="前往").click()
    page.wait_for_url("**/issues/2020/4/pages/7/")
    assert page.locator("h1").inner_text() == "2020年第4期 · 第7页"
    articles = page.locator(".edition-articles li > a")
    expect(articles).to_have_text(["凝心聚力谱新篇", "协商民主的晋城实践", "委员履职故事"])
    image = page.locator(".edition-image")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('.edition-image').complete")
    assert image.evaluate("img => img.naturalWidth") == 1400
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scroll"
    assert_accessible(page)

    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/issues/2020/4/pages/8/")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/issues/2020/4/pages/7/")

    stage_width = page.locator(".edition-stage").evaluate("s => s.clientWidth")
    page.get_by_role("button", name="放大").click()
    expect(page.locator("[data-zoom-status]")).to_have_text("150%")
    assert page.locator(".edition-image").evaluate("i => i.clientWidth") > stage_width * 1.4
    page.get_by_role("button", name="适合宽度").click()
    expect(page.locator("[data-zoom-status]")).to_have_text("100%")

    page.get_by_role("link", name="下一页").click()
    page.wait_for_url("**/issues/2020/4/pages/8/")
    expect(page.locator(".edition-articles li > a")).to_have_text(["协商民主的晋城实践"])
    page.get_by_role("link", name="上一页").click()
    page.wait_for_url("**/issues/2020/4/pages/7/")


def test_an_uploaded_pdf_becomes_pages_readers_turn_and_zoom(
    browser,
    live_server,
    issue,
    page_seven_articles,
    worker,
    django_user_model,
):
    django_user_model.objects.create_superuser("chief", "", PASSWORD)
    admin = upload_in_admin(browser, live_server.url, issue)
    if worker is None:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    status = wait_for_pages(admin, worker)
    assert status == "已生成12页；印刷第1页为PDF第3页（据页面上印的页码识别）。"
    # Published (its 三审 is tested elsewhere): readers get the pages.
    type(issue).objects.filter(pk=issue.pk).update(
        status=Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 667}):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(20_000)
        csp = CspWatcher(page)
        reader_checks(page, live_server.url, viewport["width"])
        assert csp.violations == []
        context.close()

    phone = browser.new_context(viewport={"width": 320, "height": 568}, locale="zh-CN").new_page()
    phone.goto(f"{live_server.url}/issues/2020/4/pages/")
    expect(phone.locator(".edition-grid img")).to_have_count(12)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/issues/2020/4/pages/7/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
