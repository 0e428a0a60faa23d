"""Search's memo (search.memo): which articles match a query, kept until content changes,
whether or not whole pages are cached."""

import uuid

import pytest

from search.memo import one_generation, remember
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted():
    calls = []

    def compute():
        calls.append(len(calls) + 1)
        return [calls[-1]]

    return compute


@pytest.fixture
def shared_cache_without_page_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"memo-{uuid.uuid4().hex}",
        }
    }
    settings.JCZX_PAGE_CACHE = False


def test_the_memo_keeps_a_result_with_the_page_cache_off(shared_cache_without_page_cache, counted):
    assert remember("search", "协商民主", counted) == [1]
    assert remember("search", "协商民主", counted) == [1]
    assert remember("search", "高质量发展", counted) == [2]


def test_a_content_write_makes_the_memo_compute_again(shared_cache_without_page_cache, counted):
    assert remember("search", "李正根", counted) == [1]
    PersonFactory(name="李正根")
    assert remember("search", "李正根", counted) == [2]
    assert remember("search", "李正根", counted) == [2]


def test_one_request_reads_the_generation_once_and_keeps_it_no_longer(
    shared_cache_without_page_cache, counted, django_assert_num_queries
):
    with one_generation(), django_assert_num_queries(1):  # the generation, once
        assert remember("search", "政协", counted) == [1]
        assert remember("search-news", "政协", counted) == [2]
        assert remember("search", "政协", counted) == [1]
    PersonFactory(name="王五")  # a write after the request
    with one_generation():
        assert remember("search", "政协", counted) == [3]
    assert remember("search-news", "政协", counted) == [4]
