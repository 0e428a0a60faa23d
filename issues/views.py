from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from articles import scopes
from articles.models import Article, Highlight, NewsItem, unshown
from pagecache.scopes import depend
from workflow.preview import DraftPreviewMixin
from workflow.reading import ReaderMixin

from .models import Issue

HOME_ARTICLES_PER_COLUMN = 3
HOME_NEWS_ITEMS = 6


class VisibleIssueMixin:
    """Finds the issue named by ``year`` and ``number`` among those the reader may see."""

    def get_issue(self):
        return get_object_or_404(
            Issue.objects.visible_to(self.request.user),
            year=self.kwargs["year"],
            number=self.kwargs["number"],
        )


class HomeView(TemplateView):
    """Home page: the latest issue with its 本期导读, the latest articles of each column,
    the latest 工作动态 items. Template: issues/home.html."""

    template_name = "issues/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        issue = Issue.objects.visible_to(user).latest_first().first()
        visible_articles = Article.objects.visible_to(user)
        context["issue"] = issue
        # Stale when the lists change or anything of the issues it shows changes.
        depend(self.request, scopes.ARTICLES, scopes.NEWS)
        if issue is not None:
            depend(self.request, scopes.issue(issue.pk))
        context["highlights"] = (
            Highlight.objects.filter(issue=issue, article__in=visible_articles)
            .select_related("article__issue")
            .defer(*unshown("title", "article__"))
            .order_by("position", "pk")
            if issue
            else []
        )
        context["column_sections"] = self.column_sections(visible_articles)
        context["news_items"] = list(
            NewsItem.objects.visible_to(user)
            .latest_first()
            .select_related("issue")[:HOME_NEWS_ITEMS]
        )
        shown = [a for _, articles in context["column_sections"] for a in articles]
        depend(self.request, *(scopes.issue(x.issue_id) for x in shown + context["news_items"]))
        return context

    @staticmethod
    def column_sections(visible_articles):
        """[(column, [its latest articles])] in column order, in two queries (plus the
        bylines' prefetch) however many columns there are."""
        # Ranked on the few columns the ranking reads, then only the chosen rows are
        # loaded by key (the columns come with them): sorting every visible article's
        # whole row took most of the page's time.
        ranked = (
            visible_articles.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("column_id"),
                    order_by=[F("issue__year").desc(), F("issue__number").desc(), "toc_position"],
                )
            )
            .filter(rank__lte=HOME_ARTICLES_PER_COLUMN)
            .values_list("pk", flat=True)
        )
        chosen = Article.objects.filter(pk__in=list(ranked)).with_listing(shows="title")
        by_column = {}
        for article in chosen.latest_first():
            by_column.setdefault(article.column, []).append(article)
        return sorted(by_column.items(), key=lambda section: (section[0].position, section[0].pk))


class IssueListView(ListView):
    """往期回顾: every issue the reader may see, grouped by year in the template.
    Template: issues/issue_list.html."""

    template_name = "issues/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        depend(self.request, scopes.ISSUES)
        return Issue.objects.visible_to(self.request.user).latest_first()


class IssueDetailView(ReaderMixin, VisibleIssueMixin, DetailView):
    """An issue's 目录 grouped by column in print order, its 编委会, contact block and PDF.
    Template: issues/issue_detail.html."""

    template_name = "issues/issue_detail.html"
    context_object_name = "issue"

    def get_object(self, queryset=None):
        issue = self.get_issue()
        depend(self.request, scopes.issue(issue.pk))
        return issue

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        articles = list(
            self.readable(Article).in_issue(self.object).with_listing(shows="title").in_toc_order()
        )
        for article in articles:
            article.issue = self.object  # reuse, so get_absolute_url() needs no query
        context["articles"] = articles
        context["masthead"] = self.object.masthead.select_related("person").order_by(
            "position", "pk"
        )
        context["highlights"] = (
            Highlight.objects.filter(issue=self.object, article__in=self.readable(Article))
            .select_related("article__issue")
            .defer(*unshown("title", "article__"))
            .order_by("position", "pk")
        )
        return context


class IssuePageView(VisibleIssueMixin, View):
    """ "Go to page N": redirects to the article printed on page ``page`` of the issue,
    counting its 下转/上接 continuation pages; 404 when no visible article covers it."""

    def get(self, request, *args, **kwargs):
        issue = self.get_issue()
        page = self.kwargs["page"]
        candidates = list(
            Article.objects.visible_to(request.user)
            .in_issue(issue)
            .in_toc_order()
            .only("toc_position", "start_page", "end_page", "continuation_pages")
        )
        # Few rows per issue: matching in Python keeps the JSON list portable
        # (SQLite has no JSON containment lookup).
        covering = [a for a in candidates if a.start_page <= page <= a.end_page]
        if not covering:
            covering = [a for a in candidates if page in (a.continuation_pages or [])]
        if not covering:
            raise Http404(f"第{page}页没有可阅读的文章。")
        article = covering[0]
        article.issue = issue
        return redirect(article)


class IssuePageLookupView(VisibleIssueMixin, View):
    """The 按页码查找 form on the issue page: ``?page=N`` redirects to page N of the
    电子版 (``pages/N/``) when the issue has one, else to ``page/N/``."""

    def get(self, request, *args, **kwargs):
        issue = self.get_issue()
        raw = request.GET.get("page", "").strip()
        if not raw.isdecimal():
            raise Http404("请输入页码数字。")
        page = int(raw)
        # With its 电子版 the page itself (printed numbers 1–9999), else the article
        # printed on it.
        if issue.has_pages:
            if not 1 <= page <= 9999:
                raise Http404(f"本期电子版没有第{page}页。")
            return redirect("edition:page", year=issue.year, number=issue.number, page=page)
        return redirect("issues:issue_page", year=issue.year, number=issue.number, page=page)


class IssuePreviewView(DraftPreviewMixin, IssueDetailView):
    """预览: an issue in any state, as readers will see it (workflow.preview)."""

    preview_model = Issue
