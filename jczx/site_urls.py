"""The public site 晋城政协网. Each app owns its URLs; this module mounts them with the
site-wide discovery files (sitemap.xml, robots.txt)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from articles.sitemaps import ArticleSitemap, ColumnSitemap, NewsItemSitemap
from issues.sitemaps import IssueSitemap
from members.sitemaps import PersonSitemap

sitemaps = {
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "columns": ColumnSitemap,
    "people": PersonSitemap,
    "news": NewsItemSitemap,
}

urlpatterns = [
    path("", include("issues.urls")),
    path("", include("articles.urls")),
    path("", include("members.urls")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain; charset=utf-8"),
        name="robots_txt",
    ),
]
