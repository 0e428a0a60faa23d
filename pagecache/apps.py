from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The page cache: watches every database connection for content writes."""

    name = "pagecache"
    verbose_name = "页面缓存"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import cache

        # Every content write makes cached pages stale (see pagecache.cache).
        connection_created.connect(cache.install_write_tracking)
        post_migrate.connect(cache.replace_generation_after_migrate, sender=self)
