from django.urls import path

from . import views

app_name = "issues"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", views.IssueListView.as_view(), name="issue_list"),
    path("issues/<int:year>/<int:number>/", views.IssueDetailView.as_view(), name="issue_detail"),
    path(
        "issues/<int:year>/<int:number>/page/",
        views.IssuePageLookupView.as_view(),
        name="issue_page_lookup",
    ),
    path(
        "issues/<int:year>/<int:number>/page/<int:page>/",
        views.IssuePageView.as_view(),
        name="issue_page",
    ),
]
