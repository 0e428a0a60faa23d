from django.apps import AppConfig


class SiteSettingsConfig(AppConfig):
    """站点设置: the site's name, its 主办/承办单位, contacts and 备案 numbers, logo and
    favicon, edited by the administrator on one admin page and shown in every page's
    header and footer."""

    name = "sitesettings"
    verbose_name = "站点设置"
