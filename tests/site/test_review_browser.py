"""三审 in a real browser: an article walks 初审 → 复审 → 终审 → 发布 through the admin's
buttons, each stage signed by its own reviewer, while an anonymous reader (page cache
on) sees nothing of it until it is published, and then the article; a correction of
the live article (修改稿) goes the same way while the reader keeps the old text, and so
does a correction of a live issue's 本期导读."""

import pytest
from django.test import Client

from articles.services import article_submit
from tests.browser import chromium
from tests.factories import ArticleFactory, HighlightFactory, IssueFactory
from tests.forms import form_data
from tests.review import restore_review_setup, reviewer
from workflow.models import ReviewStage, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def review_setup(transactional_db):
    # The groups and stages come from data migrations, which an earlier transactional
    # test's flush removed.
    restore_review_setup()


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "review-browser",
        }
    }
    settings.JCZX_PAGE_CACHE = True


def session_cookie(user, host):
    client = Client()
    client.force_login(user)
    return {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "domain": host,
        "path": "/",
    }


def as_user(browser, cookie, url):
    """A browser context signed in with ``cookie``, on ``url``."""
    context = browser.new_context()
    context.add_cookies([cookie])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    return context, page


def confirm(page, url, link, button, opinion=None):
    """Follow a workflow link on the change page ``url`` and confirm it."""
    page.get_by_role("link", name=link).click()
    if opinion is not None:
        page.get_by_label("审稿意见").fill(opinion)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(url)


def test_an_article_passes_three_stages_and_readers_see_it_only_once_published(
    live_server, page_cache, staff_editor
):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    article = ArticleFactory(
        issue=issue,
        toc_position=7,
        title="关于发展康养旅游的建议",
        body="<p>要加强学习，提高履职能力。</p>",
        status=Status.DRAFT,
        published_at=None,
    )
    article_submit(article=article, by=staff_editor)
    host = live_server.url.split("//")[1].split(":")[0]
    stages = list(ReviewStage.objects.all())
    cookies = {stage.name: session_cookie(reviewer(stage), host) for stage in stages}
    public_url = live_server.url + article.get_absolute_url()
    change_url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"

    with chromium() as browser:

        def visit():
            # A fresh context each time: nothing from the browser's own cache.
            context = browser.new_context()
            page = context.new_page()
            response = page.goto(public_url)
            status, cache = response.status, response.headers.get("x-page-cache")
            text = page.locator("article").inner_text() if status == 200 else ""
            context.close()
            return status, cache, text

        def reader_sees():
            first, again = visit(), visit()  # the second from the page cache, if cached
            assert first[0] == again[0] and first[2] == again[2]
            return again[0], again[2]

        assert reader_sees() == (404, "")
        for stage in stages:
            context = browser.new_context()
            context.add_cookies([cookies[stage.name]])
            page = context.new_page()
            page.set_default_timeout(15_000)
            page.goto(change_url)
            assert f"等待{stage.name}" in page.locator(".review-waiting-line").inner_text()
            page.get_by_role("link", name=f"签发（{stage.name}）").click()
            page.get_by_label("审稿意见").fill(f"{stage.name}同意")
            page.get_by_role("button", name="确认签发").click()
            page.wait_for_url(change_url)
            assert f"已签发{stage.name}" in page.locator(".messagelist").inner_text()
            row = page.locator("tr.review-stage", has_text=stage.name)
            assert "已签发" in row.inner_text() and f"{stage.name}同意" in row.inner_text()
            # Signed, not published: the reader still gets 404.
            assert reader_sees() == (404, "")
            if stage.name == "终审":  # the 主编 signs the last stage, then publishes
                page.get_by_role("link", name="发布", exact=True).click()
                page.get_by_role("button", name="确认发布").click()
                page.wait_for_url(change_url)
                assert "已发布" in page.locator(".messagelist").inner_text()
            context.close()

        status, text = reader_sees()
        assert status == 200
        assert "关于发展康养旅游的建议" in text and "要加强学习，提高履职能力。" in text
        assert visit()[1] == "hit"  # the page cache is on, and served the new page


def test_a_correction_of_a_live_article_reaches_readers_only_once_published(
    live_server, page_cache, staff_editor
):
    article = ArticleFactory(title="关于发展康养旅游的建议", body="<p>要加强学习。</p>")
    editor = Client()
    editor.force_login(staff_editor)
    admin_url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(editor.get(admin_url), "article_form")
    data["body"] = "<p>要加强理论学习。</p>"
    assert editor.post(admin_url, data).status_code == 302  # kept as a 修改稿
    host = live_server.url.split("//")[1].split(":")[0]
    stages = list(ReviewStage.objects.all())
    cookies = {stage.name: session_cookie(reviewer(stage), host) for stage in stages}
    cookies["编辑"] = session_cookie(staff_editor, host)
    public_url = live_server.url + article.get_absolute_url()
    change_url = live_server.url + admin_url

    with chromium() as browser:

        def reader_text():
            context = browser.new_context()
            page = context.new_page()
            response = page.goto(public_url)
            text = page.locator("article").inner_text()
            context.close()
            return response.status, text

        status, text = reader_text()
        assert status == 200 and "要加强学习。" in text

        context, page = as_user(browser, cookies["编辑"], change_url)
        assert "有未发布的修改" in page.content()
        assert "要加强<ins>理论</ins>学习。" in page.locator(".revision-diff").inner_html()
        confirm(page, change_url, "提交修改审核", "确认提交修改审核")
        context.close()
        assert "要加强学习。" in reader_text()[1]

        for stage in stages:
            context, page = as_user(browser, cookies[stage.name], change_url)
            confirm(
                page, change_url, f"签发修改（{stage.name}）", "确认签发", f"{stage.name}同意更正"
            )
            assert f"已签发修改稿的{stage.name}" in page.locator(".messagelist").inner_text()
            status, text = reader_text()
            assert status == 200 and "要加强学习。" in text and "理论" not in text
            if stage.name == "终审":
                confirm(page, change_url, "发布修改", "确认发布修改")
                assert "修改已发布" in page.locator(".messagelist").inner_text()
            context.close()

        status, text = reader_text()
        assert status == 200 and "要加强理论学习。" in text


def test_a_correction_of_a_live_issue_highlight_reaches_readers_only_once_published(
    live_server, page_cache, staff_editor
):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    article = ArticleFactory(issue=issue, toc_position=1, title="关于发展康养旅游的建议")
    HighlightFactory(issue=issue, article=article, text="康养旅游大有可为")
    host = live_server.url.split("//")[1].split(":")[0]
    stages = list(ReviewStage.objects.all())
    cookies = {stage.name: session_cookie(reviewer(stage), host) for stage in stages}
    cookies["编辑"] = session_cookie(staff_editor, host)
    public_url = live_server.url + issue.get_absolute_url()
    change_url = f"{live_server.url}/admin/issues/issue/{issue.pk}/change/"

    with chromium() as browser:

        def reader_sees():
            """The 本期导读 an anonymous reader gets, twice: the second from the cache."""
            seen = []
            for _ in range(2):
                context = browser.new_context()
                page = context.new_page()
                response = page.goto(public_url)
                seen.append(
                    (
                        response.headers.get("x-page-cache"),
                        page.locator(".issue-highlights").inner_text(),
                    )
                )
                context.close()
            assert seen[0][1] == seen[1][1] and seen[1][0] == "hit"
            return seen[1][1]

        assert "康养旅游大有可为" in reader_sees()

        # The 编辑 changes the line on the live issue's page: a 修改稿 is kept.
        context, page = as_user(browser, cookies["编辑"], change_url)
        page.locator('input[name="highlights-0-text"]').fill("康养旅游前景广阔")
        page.locator('input[name="_continue"]').click()
        page.wait_for_url(change_url)
        assert "已保存为修改稿（第 1 版）" in page.locator(".messagelist").first.inner_text()
        assert "有未发布的修改" in page.content()
        diff = page.locator(".revision-diff").inner_html()
        assert "康养旅游<del>大有可为</del><ins>前景广阔</ins>" in diff
        confirm(page, change_url, "提交修改审核", "确认提交修改审核")
        context.close()
        text = reader_sees()
        assert "康养旅游大有可为" in text and "前景广阔" not in text

        for stage in stages:
            context, page = as_user(browser, cookies[stage.name], change_url)
            confirm(page, change_url, f"签发修改（{stage.name}）", "确认签发", f"{stage.name}同意")
            assert f"已签发修改稿的{stage.name}" in page.locator(".messagelist").first.inner_text()
            text = reader_sees()
            assert "康养旅游大有可为" in text and "前景广阔" not in text
            if stage.name == "终审":
                confirm(page, change_url, "发布修改", "确认发布修改")
                assert "修改已发布" in page.locator(".messagelist").first.inner_text()
            context.close()

        text = reader_sees()
        assert "康养旅游前景广阔" in text and "大有可为" not in text
