"""An article's text as its pages show it — 正文 and 编者按 with their uploaded images
swapped for renditions, and the teaser lists print — made when the article is written
and stored on its row (``rendered_*``), so that a page does not redo it for each reader.

The stored copy carries the digest of everything it was made from (title, 副标题, 摘要,
编者按, 正文, and how rendition URLs are formed). ``rendered(article)`` uses it only when
that digest matches the article as it is in memory, and makes the text afresh otherwise:
a write path that did not refresh it (raw SQL, a 修改稿 laid over a draft for a preview)
costs time, never shows a reader stale text. Nothing is kept when an image's rendition
could not be made, or when media URLs are signed and expire (``markup_scheme``).
"""

import hashlib

from richtext.text import html_to_text
from uploads.renditions import markup_scheme, swap_renditions

from .teasers import summary_of

# What the rendered text is made from, and where it is stored.
SOURCE_FIELDS = frozenset({"title", "subtitle", "abstract", "editors_note", "body"})
STORED_FIELDS = ("rendered_body", "rendered_editors_note", "rendered_summary", "rendered_key")


def digest(article, scheme: str) -> str:
    h = hashlib.blake2b(scheme.encode(), digest_size=16)
    for field in ("title", "subtitle", "abstract", "editors_note", "body"):
        h.update(b"\0" + (getattr(article, field) or "").encode())
    return h.hexdigest()


def as_stored(article, field: str) -> str:
    """The rich text ``field`` of ``article`` as the database stores it: sanitized, and
    an empty editor's paragraph as nothing (RichTextField.get_prep_value)."""
    return article._meta.get_field(field).get_prep_value(getattr(article, field)) or ""


def make(article) -> tuple[dict[str, str], bool]:
    """The rendered text of ``article`` by stored field, and whether it may be stored
    (every uploaded image has its rendition)."""
    # As stored (RichTextField sanitizes on every write): the text of an instance not
    # saved yet, or laid over for a preview, may not be sanitized.
    body_text, note_text = as_stored(article, "body"), as_stored(article, "editors_note")
    body, body_complete = swap_renditions(body_text)
    note, note_complete = swap_renditions(note_text)
    summary = summary_of(
        abstract=article.abstract,
        texts=(html_to_text(body_text), html_to_text(note_text), article.subtitle),
        title=article.title,
    )
    made = {"rendered_body": body, "rendered_editors_note": note, "rendered_summary": summary}
    return made, body_complete and note_complete


def store(article) -> None:
    """Fill ``article``'s ``rendered_*`` fields from its text (not saved), the text
    sanitized first as the database will store it, so that the digest is of that."""
    article.body = as_stored(article, "body")
    article.editors_note = as_stored(article, "editors_note")
    made, complete = make(article)
    scheme = markup_scheme()
    for field, value in made.items():
        setattr(article, field, value)
    article.rendered_key = digest(article, scheme) if complete and scheme is not None else ""
    if article.rendered_key:
        article.__dict__["_rendered"] = (article.rendered_key, made)


def rendered(article, field: str) -> str:
    """What the pages show of ``article`` (``field``: one of the ``rendered_*`` but the
    key): the stored copy when it was made from the text the article holds now, else
    made now (and remembered on the instance under the same digest)."""
    scheme = markup_scheme()
    key = digest(article, scheme) if scheme is not None else None
    memo = article.__dict__.get("_rendered")
    if memo is not None and key is not None and memo[0] == key:
        return memo[1][field]
    if key is not None and article.__dict__.get("rendered_key") == key:
        return getattr(article, field)  # a deferred field is read now, by its key
    made = make(article)[0]
    if key is not None:
        article.__dict__["_rendered"] = (key, made)
    return made[field]


def render_articles(articles, *, batch_size: int = 200) -> int:
    """Store the rendered text of every article of the QuerySet ``articles``."""
    done = 0
    batch = []
    for article in articles.order_by("pk").iterator(chunk_size=batch_size):
        store(article)
        batch.append(article)
        if len(batch) == batch_size:
            done += _save(articles, batch)
            batch = []
    return done + (_save(articles, batch) if batch else 0)


def _save(articles, batch) -> int:
    # Only the rendered columns: QuerySet.bulk_update of the base manager, no hooks.
    articles.model._base_manager.using(articles.db).bulk_update(batch, STORED_FIELDS)
    return len(batch)


def render_after_migrate(sender, *, using, plan=None, verbosity=1, stdout=None, **kwargs):
    """post_migrate: store every article's rendered text when ``migrate`` applied a
    migration that declares ``renders_article_text = True`` (articles/migrations/0011)."""
    if not any(
        getattr(migration, "renders_article_text", False) and not backwards
        for migration, backwards in plan or ()
    ):
        return
    count = render_articles(sender.get_model("Article")._base_manager.using(using).all())
    if count and verbosity >= 1 and stdout is not None:
        stdout.write(f"已生成 {count} 篇文章的显示用文本。")
