"""How the search index keeps up with article text, without articles knowing search.

Search is an app above this one (docs/architecture.md): it connects to these signals in
its ``AppConfig.ready()``, as Wagtail's apps connect theirs.

- ``article_changed`` (``article``, ``bylines``): one article's indexed text may have
  changed — sent by ``Article.reindex()``, which ``Article.save`` and ``Authorship.save``/
  ``delete`` call. ``bylines`` is the byline text when the sender knows it (a new
  article has none), else None.
- ``articles_changed`` (``pks``, ``using``): the bulk paths of the QuerySets, which call
  no ``save()``, changed the indexed text of these articles.

Inside ``indexing_deferred()`` (the importer writes an article, then its bylines) the
handlers only note the articles (``deferred()``); leaving the block sends one
``articles_changed`` for all of them. Nothing is sent if the block raises: its
transaction is being rolled back. Nested blocks join the outer one.
"""

import contextvars
from contextlib import contextmanager

from django.dispatch import Signal

# Fields whose change must rewrite the index (bylines are handled by Authorship).
INDEXED_FIELDS = frozenset(
    {
        "kicker",
        "title",
        "subtitle",
        "toc_title",
        "source",
        "editors_note",
        "abstract",
        "body",
        "author_note",
    }
)

article_changed = Signal()
articles_changed = Signal()

# Articles waiting to be indexed at the end of an ``indexing_deferred()`` block, by
# (model, database): None outside such a block.
_deferred: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "search_index_deferred", default=None
)


@contextmanager
def indexing_deferred():
    """Index each article touched in the block once, at its end (see the module)."""
    if _deferred.get() is not None:
        yield
        return
    pending: dict = {}
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    for (model, db), pks in pending.items():
        articles_changed.send(sender=model, pks=pks, using=db)


def deferred(model, db, pks) -> bool:
    """Inside ``indexing_deferred()``: note ``pks`` for its end and return True."""
    pending = _deferred.get()
    if pending is None:
        return False
    pending.setdefault((model, db), set()).update(pks)
    return True
