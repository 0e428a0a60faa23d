"""What each kind of content's rows make stale in the page cache (``pagecache.scopes``),
and the names of the scopes the public pages depend on.

- ``issue:<id>``: an issue and everything printed in it — its page, its articles' pages
  (their neighbours, bylines, 工作动态 items), its 本期导读 and 编委会; and the pages of
  other lists showing some of it (they declare it for what they show).
- ``column:<id>``: a column's page.
- ``person:<id>``: a person's bylines, seats and mentions.
- ``list:articles``, ``list:news``, ``list:issues``: which articles, 工作动态 items and
  issues lists across issues hold, and in which order (the home page, columns, the
  timeline, 往期回顾): replaced when a row appears, disappears, or changes in anything
  but its text (state, visibility, publication time, issue, column, position…).

Column names, people's names and the site settings are printed on pages everywhere:
their tables are not mapped, so a write to them makes every page stale.
"""

from pagecache import scopes

ARTICLES = "list:articles"
NEWS = "list:news"
ISSUES = "list:issues"


def issue(pk) -> str:
    return f"issue:{pk}"


def column(pk) -> str:
    return f"column:{pk}"


def person(pk) -> str:
    return f"person:{pk}"


def _none(row):
    return ()


def register(*, Article, Authorship, Highlight, NewsItem, ArticleEvent, ArticleImage):
    """Called in ``ArticlesConfig.ready()``."""
    scopes.register(
        Article,
        scopes=lambda row: (issue(row["issue_id"]), column(row["column_id"])),
        moved=(ARTICLES,),
        # Text: it changes what the pages tagged with its issue show, no list's members.
        in_place=(
            "version",
            "updated_at",
            "kicker",
            "title",
            "subtitle",
            "toc_title",
            "source",
            "event_date",
            "abstract",
            "author_note",
            "start_page",
            "end_page",
            "continuation_pages",
            "rendered_key",
        ),
        unread=(
            "body",
            "editors_note",
            "search_text",
            "search_vector",
            # The text as pages show it (articles.rendered): made from the text above.
            "rendered_body",
            "rendered_editors_note",
            "rendered_summary",
        ),
    )
    scopes.register(
        Authorship, scopes=lambda row: (person(row["person_id"]),), follow={"article": Article}
    )
    scopes.register(
        Highlight, scopes=lambda row: (issue(row["issue_id"]),), follow={"article": Article}
    )
    scopes.register(
        NewsItem,
        scopes=lambda row: (issue(row["issue_id"]), NEWS),
        follow={"article": Article},
    )
    scopes.register(
        NewsItem.people.through,
        scopes=lambda row: (person(row["person_id"]),),
        follow={"newsitem": NewsItem},
    )
    # Shown on no public page: 图片 of an article's text (their access is decided per
    # request under /media/, which is never cached), the workflow's events.
    for model in (ArticleEvent, ArticleImage):
        scopes.register(model, scopes=_none)


def register_history(*models):
    """History tables (django-simple-history) are read by the admin alone."""
    for model in models:
        scopes.register(model.history.model, scopes=_none)
