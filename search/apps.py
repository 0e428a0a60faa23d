from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Chinese full-text search of articles: the index, the query, the /search/ page."""

    name = "search"
    verbose_name = "检索"
