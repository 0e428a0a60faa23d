from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "内容"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .search import reindex_after_migrate

        # A migration that changes what the search index holds is followed by a
        # rewrite with the current code (see articles/migrations/0005).
        post_migrate.connect(reindex_after_migrate, sender=self)
