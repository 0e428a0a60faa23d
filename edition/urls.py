from django.urls import path, re_path

from . import views

app_name = "edition"

# A page by its printed number (7), or a page before printed page 1 by its place in the
# PDF (f1: the cover).
PAGE = r"(?P<page>[1-9][0-9]{0,3}|f[1-9][0-9]{0,3})"

urlpatterns = [
    path("issues/<int:year>/<int:number>/pages/", views.PageListView.as_view(), name="pages"),
    re_path(
        rf"^issues/(?P<year>[0-9]+)/(?P<number>[0-9]+)/pages/{PAGE}/$",
        views.PageDetailView.as_view(),
        name="page",
    ),
]

# Mounted under /preview/ by jczx/urls.py, beside the other previews.
preview_urlpatterns = [
    path("issues/<int:pk>/pages/", views.PageListPreviewView.as_view(), name="issue_pages"),
    re_path(
        rf"^issues/(?P<pk>[0-9]+)/pages/{PAGE}/$",
        views.PageDetailPreviewView.as_view(),
        name="issue_page",
    ),
]
