from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Login lockout, the Content-Security-Policy, the audit log of logins and admin
    actions, ensure_admin."""

    name = "security"
    verbose_name = "安全"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import audit

        user_logged_in.connect(audit.on_login, dispatch_uid="jczx.audit.login")
        user_login_failed.connect(audit.on_login_failed, dispatch_uid="jczx.audit.login_failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="jczx.audit.locked_out")
