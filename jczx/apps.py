from django.apps import AppConfig


class JczxConfig(AppConfig):
    """The project itself, as an app: its management commands (bootstrap, ensure_admin)
    and the page cache's watch on content writes."""

    name = "jczx"
    verbose_name = "晋城政协"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import pagecache

        # Every content write makes cached pages stale (see jczx.pagecache).
        connection_created.connect(pagecache.install_write_tracking)
        post_migrate.connect(pagecache.replace_generation_after_migrate, sender=self)
