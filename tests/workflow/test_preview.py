"""预览 (workflow.preview): a draft shown to staff is marked as such on the page, kept out
of search engines and out of every cache, the page cache included."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, IssueFactory
from workflow.models import Status

pytestmark = pytest.mark.django_db

BAND = '<p class="preview-band" role="note">预览 · 未发布版本</p>'


@pytest.fixture
def drafts():
    issue = IssueFactory(status=Status.DRAFT, published_at=None)
    article = ArticleFactory(issue=issue, title="尚未发布的建议", status=Status.DRAFT)
    return {"preview:article": article, "preview:issue": issue}


@pytest.mark.parametrize("name", ["preview:article", "preview:issue"])
def test_a_preview_carries_the_band_noindex_and_is_never_cached(
    name, drafts, staff_editor, page_cache
):
    url = reverse(name, args=[drafts[name].pk])
    editor = Client()
    editor.force_login(staff_editor)
    response = editor.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(BAND) == 1
    assert html.index(BAND) < html.index('<header class="site-header">')
    assert '<meta name="robots" content="noindex">' in html
    assert "尚未发布的建议" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache", "max-age=0"} <= control
    assert "X-Page-Cache" not in response
    # Nothing of the draft was stored for anyone else: a reader still gets the 404.
    anonymous = Client().get(url)
    assert anonymous.status_code == 404
    assert "尚未发布的建议" not in anonymous.content.decode()


def test_a_published_page_has_no_band_and_may_be_indexed(staff_editor):
    article = ArticleFactory(title="已经发布的建议")
    editor = Client()
    editor.force_login(staff_editor)
    html = editor.get(article.get_absolute_url()).content.decode()
    assert "已经发布的建议" in html
    assert "preview-band" not in html and "预览 · 未发布版本" not in html
    assert 'name="robots"' not in html
