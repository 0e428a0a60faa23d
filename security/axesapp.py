"""django-axes under a Chinese name (INSTALLED_APPS names this config instead of "axes").

A module of its own: a second AppConfig in security/apps.py would stop Django from picking
``SecurityConfig`` as that app's default."""

from axes.apps import AppConfig


class AxesConfig(AppConfig):
    """Axes ships no zh_Hans catalogue: its strings come from security/locale, its app
    label on the admin index from here."""

    verbose_name = "登录锁定"
