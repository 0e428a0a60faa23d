"""The project's URLs: the admin, the preview, the public site 晋城政协网 (each app owns
its URLs, mounted here) with the site-wide discovery files (sitemap.xml, robots.txt),
and /media/."""

from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from articles.sitemaps import ArticleSitemap, ColumnSitemap, NewsItemSitemap
from articles.views import ArticlePreviewView
from edition.urls import preview_urlpatterns as edition_preview_patterns
from issues.sitemaps import IssueSitemap
from issues.views import IssuePreviewView
from members.sitemaps import PersonSitemap
from uploads import files

admin.site.site_header = "《晋城政协》内容管理"
admin.site.site_title = "晋城政协 CMS"
admin.site.index_title = "编辑部工作台"

sitemaps = {
    "issues": IssueSitemap,
    "articles": ArticleSitemap,
    "columns": ColumnSitemap,
    "people": PersonSitemap,
    "news": NewsItemSitemap,
}

# 预览 (workflow.preview): the public pages of a draft, for staff who may change it.
preview_patterns = [
    path("articles/<int:pk>/", ArticlePreviewView.as_view(), name="article"),
    path("issues/<int:pk>/", IssuePreviewView.as_view(), name="issue"),
    *edition_preview_patterns,
]

urlpatterns = [
    path("admin/upload/image/", files.image_upload, name="image_upload"),
    path("admin/", admin.site.urls),
    path("preview/", include((preview_patterns, "preview"))),
    path("", include("issues.urls")),
    path("", include("edition.urls")),
    path("", include("articles.urls")),
    path("", include("search.urls")),
    path("", include("members.urls")),
    path("", include("sitesettings.urls")),
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
    re_path(r"^media/(?P<path>.*)$", files.serve_media),
]

# A database out of reach is a 503 with Retry-After, not a 500 (security.errors).
handler500 = "security.errors.server_error"
