"""Search's memo: which articles match a query, kept until content changes.

Keyed by the content generation (``pagecache.cache``), which every committed content
write replaces, whether or not whole pages are cached (``JCZX_PAGE_CACHE``). The
generation is read from the database, so a memo kept in one process's own memory is as
exact as one in Redis: another process's write replaces the generation it is keyed by.
"""

import hashlib
import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

from pagecache.cache import generation_for_reading, page_cache

logger = logging.getLogger("jczx.search")
# Inside one_generation(): {"token": the generation read at the first use}.
_generation: ContextVar[dict | None] = ContextVar("jczx_memo_generation", default=None)


@contextmanager
def one_generation():
    """Within the block (one request), the memos are keyed by the content generation
    read once, at the first use: one read of it for all of them. Consistent with each
    other as one snapshot; and exact as each is alone, since a write replaces the
    generation and no later block reads an entry kept under the old one."""
    token = _generation.set({})
    try:
        yield
    finally:
        _generation.reset(token)


def _current_generation() -> str:
    block = _generation.get()
    if block is None:
        return generation_for_reading()
    if "token" not in block:
        block["token"] = generation_for_reading()
    return block["token"]


def remember(name: str, key: str, compute, *, timeout: int | None = None):
    """``compute()``, kept in the cache for the current content generation: any content
    write makes it recomputed. For derived data that depends on content alone (which
    articles match a search), not on who asks or when."""
    store = page_cache()
    try:
        full_key = f"jczx:{name}:{_current_generation()}:{hashlib.sha256(key.encode()).hexdigest()}"
        found = store.get(full_key)
    except Exception:
        logger.exception("cache unavailable")
        return compute()
    if found is None:
        found = compute()  # the generation was read first: a write meanwhile replaces it
        try:
            store.set(full_key, found, timeout or settings.JCZX_PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("cache unavailable")
    return found
