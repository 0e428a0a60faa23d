"""Every admin page an editor uses renders: changelist, add and change, for every model."""

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    HighlightFactory,
    MastheadEntryFactory,
    NewsItemFactory,
)
from tests.forms import form_data
from workflow.models import Revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(columns):
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name="编辑")
    article = ArticleFactory(column=columns["会议专题"], title="在市委政协工作会议上的讲话")
    AuthorshipFactory(article=article)
    HighlightFactory(article=article)
    MastheadEntryFactory(issue=article.issue, role="主任")
    NewsItemFactory(issue=article.issue, article=article)
    return article


def registered_models():
    return [
        m
        for m in admin.site._registry
        if m._meta.app_label in {"issues", "articles", "members", "auth"}
    ]


def test_all_content_models_are_registered():
    labels = {m._meta.label for m in registered_models()}
    assert {
        "issues.Issue",
        "articles.Article",
        "articles.Column",
        "articles.NewsItem",
        "articles.Highlight",
        "members.Person",
    } <= labels


@pytest.mark.parametrize("view", ["changelist", "add", "change"])
def test_admin_pages_render_for_an_editor(editor_client, content, view):
    for model in registered_models():
        info = (model._meta.app_label, model._meta.model_name)
        if view == "change":
            obj = model.objects.first()
            assert obj is not None, f"no {info} to change"
            url = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
        else:
            url = reverse(f"admin:{info[0]}_{info[1]}_{view}")
        response = editor_client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"


def test_issue_change_page_shows_toc_masthead_highlights_and_news(editor_client, content):
    response = editor_client.get(reverse("admin:issues_issue_change", args=[content.issue.pk]))
    html = response.content.decode()
    for heading in ["目录", "编委会", "本期导读", "工作动态"]:
        assert heading in html
    assert "在市委政协工作会议上的讲话" in html


def test_article_list_shows_column_and_pages(editor_client, content):
    response = editor_client.get(reverse("admin:articles_article_changelist"))
    html = response.content.decode()
    assert "会议专题" in html
    assert content.pages_label in html


def test_article_search_by_author_name(editor_client, content):
    name = content.authorships.get().person.name
    response = editor_client.get(reverse("admin:articles_article_changelist"), {"q": name})
    assert list(response.context["cl"].result_list) == [content]


def test_body_uses_ckeditor5_and_posted_scripts_never_reach_the_database(editor_client, content):
    url = reverse("admin:articles_article_change", args=[content.pk])
    form_html = editor_client.get(url).content.decode()
    assert "ck-editor-container" in form_html
    data = {
        "issue": content.issue.pk,
        "column": content.column.pk,
        "toc_position": 1,
        "title": "<b>标题</b>",
        "body": "<p>正文</p><script>alert(1)</script><img src=x onerror=alert(2)>",
        "editors_note": "",
        "start_page": 18,
        "end_page": 25,
        "continuation_pages": "[]",
        "status": "draft",
        "kicker": "",
        "subtitle": "",
        "toc_title": "",
        "source": "",
        "author_note": "",
        "authorships-TOTAL_FORMS": 0,
        "authorships-INITIAL_FORMS": 0,
    }
    # The form's hidden version token (optimistic locking) with the fields above.
    response = editor_client.post(url, {**form_data(form_html, "article_form"), **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    # The article is live: the edit is kept as a revision (修改稿), sanitized as stored.
    assert Article.objects.get(pk=content.pk).body == "<p>人民政协是具有中国特色的制度安排。</p>"
    revised = Revision.objects.of(content).get().data["fields"]
    assert revised["body"] == '<p>正文</p><img src="x">'
    Article.objects.filter(pk=content.pk).update(status="draft")
    form = form_data(editor_client.get(url), "article_form")
    response = editor_client.post(url, {**form, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Article.objects.get(pk=content.pk)
    assert stored.body == '<p>正文</p><img src="x">'
    assert stored.start_page == 18
