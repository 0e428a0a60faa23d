from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Chinese full-text search of articles: the index, the query, the /search/ page."""

    name = "search"
    verbose_name = "检索"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_migrate, post_save

        from articles.indexing import article_changed, articles_changed
        from members.models import Person

        from . import signals
        from .fulltext import reindex_after_migrate

        article_changed.connect(signals.on_article_changed, dispatch_uid="search.article")
        articles_changed.connect(signals.on_articles_changed, dispatch_uid="search.articles")
        post_save.connect(signals.on_person_saved, sender=Person, dispatch_uid="search.person")
        # A migration of articles that changes what the index holds is followed by a
        # rewrite with the current code (see articles/migrations/0005).
        post_migrate.connect(
            reindex_after_migrate,
            sender=apps.get_app_config("articles"),
            dispatch_uid="search.reindex_after_migrate",
        )
