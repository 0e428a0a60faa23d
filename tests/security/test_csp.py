"""The Content-Security-Policy: strict on the public site, and the admin with CKEditor 5
still works under the admin's policy."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.browser import CspWatcher, chromium
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PUBLIC_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def directives(response):
    header = response["Content-Security-Policy"]
    return {
        name: value.strip()
        for name, _, value in (part.strip().partition(" ") for part in header.split(";"))
    }


def test_public_pages_have_the_strict_policy(client):
    article = ArticleFactory()
    for url in ["/", article.issue.get_absolute_url(), article.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == PUBLIC_POLICY, url


def test_not_found_pages_have_the_policy_too(client):
    response = client.get("/issues/1900/1/")
    assert response.status_code == 404
    assert directives(response)["script-src"] == "'self'"


def test_admin_allows_inline_style_attributes_and_nothing_else_inline(editor_client):
    response = editor_client.get(reverse("admin:index"))
    assert directives(response) == {**PUBLIC_POLICY, "style-src-attr": "'unsafe-inline'"}


def test_security_headers_on_a_public_page(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ckeditor_initialises_and_saves_under_the_policy(live_server, django_user_model):
    django_user_model.objects.create_superuser("chief", "", "a-long-test-password-42")
    article = ArticleFactory(
        body="<p>原有正文。</p>", status="draft"
    )  # a draft: a live one gets a 修改稿
    change_url = live_server.url + reverse("admin:articles_article_change", args=[article.pk])

    with chromium() as browser:
        page = browser.new_page()
        watcher = CspWatcher(page)
        page.goto(
            live_server.url + reverse("admin:login") + "?next=" + change_url[len(live_server.url) :]
        )
        page.fill("#id_username", "chief")
        page.fill("#id_password", "a-long-test-password-42")
        page.click("input[type=submit]")
        editable = page.locator(".field-body .ck-editor__editable")
        editable.wait_for(state="visible", timeout=20_000)
        assert page.locator(".field-body .ck-toolbar").is_visible()
        editable.click()
        page.keyboard.press("End")
        page.keyboard.type("新增一句。")
        page.click("input[name=_save]")
        page.wait_for_url("**/admin/articles/article/", timeout=20_000)
        violations = list(watcher.violations)

    assert violations == []
    assert "新增一句。" in Article.objects.get(pk=article.pk).body


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_pages_with_inline_styles_render_without_violations(live_server, admin_user):
    """The pages that need the admin's style-src-attr exception, and a public page."""
    article = ArticleFactory()
    admin_user.set_password("a-long-test-password-42")
    admin_user.save()
    urls = [
        reverse("admin:issues_issue_changelist"),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:auth_user_change", args=[admin_user.pk]),
        reverse("admin:index"),  # the editorial dashboard
        reverse("admin:issues_issue_change", args=[article.issue.pk]),
    ]
    with chromium() as browser:
        page = browser.new_page()
        watcher = CspWatcher(page)
        page.goto(live_server.url + reverse("admin:login"))
        page.fill("#id_username", admin_user.username)
        page.fill("#id_password", "a-long-test-password-42")
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        seen = {}
        for url in [*urls, "/", article.get_absolute_url()]:
            page.goto(live_server.url + url)
            seen[url] = page.title()
        violations = list(watcher.violations)

    assert violations == []
    assert "登录" not in seen[urls[0]]  # really signed in: the pages themselves were checked
