from django.apps import AppConfig


class JczxConfig(AppConfig):
    """The project itself, as an app: its management commands (bootstrap, ensure_admin,
    backup, restore), the audit log of logins and the page cache's watch on content
    writes."""

    name = "jczx"
    verbose_name = "晋城政协"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import audit, pagecache

        user_logged_in.connect(audit.on_login, dispatch_uid="jczx.audit.login")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="jczx.audit.login_failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="jczx.audit.locked_out")
        # Every content write makes cached pages stale (see jczx.pagecache).
        connection_created.connect(pagecache.install_write_tracking)
        post_migrate.connect(pagecache.replace_generation_after_migrate, sender=self)
