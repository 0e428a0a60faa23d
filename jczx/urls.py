from django.contrib import admin
from django.urls import include, path, re_path

from jczx import uploads

admin.site.site_header = "《晋城政协》内容管理"
admin.site.site_title = "晋城政协 CMS"
admin.site.index_title = "编辑部工作台"

urlpatterns = [
    path("admin/upload/image/", uploads.image_upload, name="image_upload"),
    path("admin/", admin.site.urls),
    path("preview/", include("jczx.preview")),
    path("", include("jczx.site_urls")),
    re_path(r"^media/(?P<path>.*)$", uploads.serve_media),
]
