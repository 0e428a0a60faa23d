from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Chinese full-text search of articles: the index, the query, the /search/ page."""

    name = "search"
    verbose_name = "检索"

    def ready(self):
        from django.db.models.signals import post_save

        from articles.indexing import article_changed, articles_changed
        from members.models import Person

        from . import signals

        article_changed.connect(signals.on_article_changed, dispatch_uid="search.article")
        articles_changed.connect(signals.on_articles_changed, dispatch_uid="search.articles")
        post_save.connect(signals.on_person_saved, sender=Person, dispatch_uid="search.person")
