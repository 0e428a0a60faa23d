"""A URLconf with a page at a path above U+00FF, for tests of the page cache's front."""

from django.http import HttpResponse
from django.urls import include, path


def unicode_view(request):
    return HttpResponse(f"页面 {request.path}")


urlpatterns = [path("政协/", unicode_view), path("", include("jczx.urls"))]
