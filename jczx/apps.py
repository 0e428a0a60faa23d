from django.apps import AppConfig


class JczxConfig(AppConfig):
    """The project itself, as an app: its management commands (bootstrap, ensure_admin)."""

    name = "jczx"
    verbose_name = "晋城政协"
