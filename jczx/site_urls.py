"""The public site 晋城政协网. Each app owns its URLs; this module only mounts them."""

from django.urls import include, path

urlpatterns = [
    path("", include("issues.urls")),
    path("", include("articles.urls")),
    path("", include("members.urls")),
]
