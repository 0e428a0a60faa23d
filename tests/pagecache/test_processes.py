"""The page cache and search's memo in each process's own memory (no Redis: the quick
start, a small office's single server) stay exact when another process writes: the
write replaces its scopes' tokens in the database, and every process reads them there
before it serves what it keeps.

The other process is a real one (``manage.py shell``) on this test's database, so these
run on PostgreSQL only: SQLite's test database lives in this process's memory."""

import subprocess
import sys

import pytest
from django.db import connection

from jczx.settings import BASE_DIR
from tests.processes import on_this_database
from tests.site.sample import build_sample_site

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="another process cannot reach SQLite's in-memory test database",
    ),
]


def in_another_process(code: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=BASE_DIR,
        # Its own memory for a cache: nothing it keeps reaches this process.
        env=on_this_database(CACHE_URL=""),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_an_edit_in_another_process_makes_this_processs_copy_of_the_page_stale(client, page_cache):
    site = build_sample_site()
    article = site.articles.speech
    other = site.older.get_absolute_url()
    url = article.get_absolute_url()
    for page in (url, other):
        client.get(page)
        assert client.get(page)["X-Page-Cache"] == "hit"

    in_another_process(
        "from articles.models import Article; "
        f"a = Article.objects.get(pk={article.pk}); a.title = '勘误后的标题'; a.save()"
    )

    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "勘误后的标题" in response.content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(other)["X-Page-Cache"] == "hit"  # another issue's page stays cached


def test_search_sees_an_article_another_process_just_saved(client, page_cache, settings):
    settings.JCZX_PAGE_CACHE = False  # search's memo alone, kept in this process's memory
    site = build_sample_site()
    article = site.articles.speech
    assert "没有找到" in client.get("/search/", {"q": "火星探测"}).content.decode()

    in_another_process(
        "from articles.models import Article; "
        f"a = Article.objects.get(pk={article.pk}); a.title = '火星探测与政协'; a.save()"
    )

    html = client.get("/search/", {"q": "火星探测"}).content.decode()
    assert "火星探测</mark>与政协" in html
