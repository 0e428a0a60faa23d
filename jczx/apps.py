from django.apps import AppConfig


class JczxConfig(AppConfig):
    """The project itself, as an app: its management commands (bootstrap, ensure_admin,
    backup, restore) and the audit log of logins."""

    name = "jczx"
    verbose_name = "晋城政协"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import audit

        user_logged_in.connect(audit.on_login, dispatch_uid="jczx.audit.login")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="jczx.audit.login_failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="jczx.audit.locked_out")
