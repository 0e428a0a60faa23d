from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from .models import Article, Column, NewsItem


class ArticleDetailView(DetailView):
    """One article. Template: articles/article_detail.html."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Article.objects.visible_to(self.request.user).with_listing(),
            issue__year=self.kwargs["year"],
            issue__number=self.kwargs["number"],
            toc_position=self.kwargs["position"],
        )


class ColumnDetailView(DetailView):
    """A column's articles across issues. Template: articles/column_detail.html."""

    model = Column
    template_name = "articles/column_detail.html"
    context_object_name = "column"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.visible_to(self.request.user)
            .filter(column=self.object)
            .with_listing()
            .latest_first()
        )
        return context


class NewsItemDetailView(DetailView):
    """One 工作动态 item. Template: articles/newsitem_detail.html."""

    template_name = "articles/newsitem_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).select_related("issue")
