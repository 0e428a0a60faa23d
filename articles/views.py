from urllib.parse import urlencode

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from pagecache.scopes import depend
from workflow.preview import DraftPreviewMixin
from workflow.reading import ReaderMixin

from . import scopes
from .filters import ColumnArticleFilter
from .models import Article, Column, NewsItem

COLUMN_PAGE_SIZE = 20
NEWS_PAGE_SIZE = 50


class ArticleDetailView(ReaderMixin, DetailView):
    """One article with its neighbours in the 目录 and, for the 工作动态 entry, its
    dated items. Template: articles/article_detail.html."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        article = get_object_or_404(
            Article.objects.visible_to(self.request.user).with_listing(shows="text"),
            issue__year=self.kwargs["year"],
            issue__number=self.kwargs["number"],
            toc_position=self.kwargs["position"],
        )
        # Everything it shows is of its issue: neighbours, bylines, 工作动态 items.
        depend(self.request, scopes.issue(article.issue_id))
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        # Both neighbours from one query of the issue's visible 目录 (a few dozen short
        # rows): the nearest visible entries, whatever is hidden between.
        neighbours = list(
            self.readable(Article)
            .in_issue(article.issue)
            .only("issue_id", "toc_position", "title", "kicker")
            .order_by("toc_position")
        )
        before = [n for n in neighbours if n.toc_position < article.toc_position]
        after = [n for n in neighbours if n.toc_position > article.toc_position]
        context["previous"] = before[-1] if before else None
        context["next"] = after[0] if after else None
        for neighbour in (context["previous"], context["next"]):
            if neighbour is not None:
                neighbour.issue = article.issue  # get_absolute_url() without a query
        context["news_items"] = (
            self.readable(NewsItem).filter(article=article).order_by("position", "pk")
        )
        context["canonical_url"] = self.request.build_absolute_uri(article.get_absolute_url())
        return context


class ColumnDetailView(ListView):
    """A column's articles across all issues, newest first, paginated and filtered by
    year. Template: articles/column_detail.html."""

    template_name = "articles/column_detail.html"
    context_object_name = "articles"
    paginate_by = COLUMN_PAGE_SIZE

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        articles = Article.objects.visible_to(self.request.user).filter(column=self.column)
        self.filterset = ColumnArticleFilter(self.request.GET or None, queryset=articles)
        return self.filterset.qs.with_listing().latest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["column"] = self.column
        depend(self.request, scopes.column(self.column.pk), scopes.ARTICLES)
        depend(self.request, *(scopes.issue(a.issue_id) for a in context["object_list"]))
        context["filter"] = self.filterset
        context["years"] = self.filterset.filters["year"].extra["choices"]
        year = self.filterset.form.cleaned_data.get("year") if self.filterset.is_valid() else None
        context["year"] = year
        context["year_query"] = urlencode({"year": year}) if year else ""
        return context


class NewsItemListView(ListView):
    """工作动态 timeline: every visible dated item across issues, newest first, grouped
    by month in the template. Template: articles/newsitem_list.html."""

    template_name = "articles/newsitem_list.html"
    context_object_name = "items"
    paginate_by = NEWS_PAGE_SIZE

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).latest_first().select_related("issue")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        depend(self.request, scopes.NEWS)
        depend(self.request, *(scopes.issue(item.issue_id) for item in context["object_list"]))
        return context


class NewsItemDetailView(DetailView):
    """One 工作动态 item. Template: articles/newsitem_detail.html."""

    template_name = "articles/newsitem_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return NewsItem.objects.visible_to(self.request.user).select_related("issue")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.object
        # The 工作动态 entry that printed the item, when the reader may open it.
        context["article"] = (
            Article.objects.visible_to(self.request.user)
            .filter(pk=item.article_id)
            .select_related("issue")
            .first()
        )
        context["people"] = item.people.all()
        depend(self.request, scopes.issue(item.issue_id))
        if context["article"] is not None:
            depend(self.request, scopes.issue(context["article"].issue_id))
        elif item.article_id is not None:  # its entry may become readable, in any issue
            depend(self.request, scopes.ARTICLES)
        return context


class ArticlePreviewView(DraftPreviewMixin, ArticleDetailView):
    """预览: an article in any state, as readers will see it (workflow.preview)."""

    preview_model = Article
