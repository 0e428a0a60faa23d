from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path(
        "issues/<int:year>/<int:number>/articles/<int:position>/",
        views.ArticleDetailView.as_view(),
        name="article_detail",
    ),
    path("columns/<slug:slug>/", views.ColumnDetailView.as_view(), name="column_detail"),
    path("columns/<slug:slug>/feed/", feeds.ColumnFeed(), name="column_feed"),
    path("feeds/latest/", feeds.LatestArticlesFeed(), name="latest_feed"),
    path("news/", views.NewsItemListView.as_view(), name="newsitem_list"),
    path("news/<int:pk>/", views.NewsItemDetailView.as_view(), name="newsitem_detail"),
]
