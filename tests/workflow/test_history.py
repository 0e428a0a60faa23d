"""The 历史 page's changes column (workflow.history): text without HTML, times in
Beijing time in Chinese, empty values as （空）."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory
from workflow.models import Status

pytestmark = pytest.mark.django_db


def test_the_history_shows_text_and_beijing_time(chief_editor):
    article = ArticleFactory(
        title="关于发展康养旅游的建议",
        body="<p>旧的正文。</p>",
        status=Status.DRAFT,
        published_at=None,
    )
    article.body = "<p>新的<strong>正文</strong>&amp;附表。</p>"
    article.published_at = datetime.datetime(2026, 12, 1, 13, 23, 4, 808327, tzinfo=datetime.UTC)
    article.save()

    client = Client()
    client.force_login(chief_editor)
    html = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "<strong>发布时间：</strong>（空） → 2026年12月1日 21:23</li>" in html
    assert "<strong>正文：</strong>旧的正文。 → 新的正文&amp;附表。</li>" in html
    assert "&lt;p&gt;" not in html and "None →" not in html and "+00:00" not in html
