from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    # OpenSearch 1.1: browsers offer the site's search in their address bar.
    path(
        "opensearch.xml",
        TemplateView.as_view(
            template_name="search/opensearch.xml",
            content_type="application/opensearchdescription+xml; charset=utf-8",
        ),
        name="opensearch",
    ),
]
