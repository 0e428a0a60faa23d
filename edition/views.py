"""The reader of the print edition (电子版): every page as a thumbnail, one page large
with the articles printed on it. Visibility is the issue's (``VisibleIssueMixin``:
``Issue.objects.visible_to``); the preview shows a draft's pages to staff
(``workflow.preview``)."""

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from articles import scopes
from articles.models import Article
from issues.models import Issue
from issues.views import VisibleIssueMixin
from pagecache.scopes import depend
from workflow.preview import DraftPreviewMixin
from workflow.reading import ReaderMixin

from .models import Page


class EditionMixin(ReaderMixin, VisibleIssueMixin):
    """The issue named by the address, when readers may see it and its pages are ready;
    404 otherwise."""

    def edition_issue(self):
        issue = self.get_issue()
        if not issue.has_pages:
            raise Http404("本期没有电子版。")
        return issue

    def page_url(self, issue, slug: str) -> str:
        return reverse(
            "edition:page", kwargs={"year": issue.year, "number": issue.number, "page": slug}
        )

    def pages_url(self, issue) -> str:
        return reverse("edition:pages", kwargs={"year": issue.year, "number": issue.number})

    def issue_url(self, issue) -> str:
        return issue.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = context["issue"] = self.edition_issue()
        depend(self.request, scopes.issue(issue.pk))
        context["pages_url"] = self.pages_url(issue)
        context["issue_url"] = self.issue_url(issue)
        return context


class PageListView(EditionMixin, TemplateView):
    """Every page of an issue as a thumbnail. Template: edition/page_list.html."""

    template_name = "edition/page_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = context["issue"]
        pages = list(Page.objects.of(issue))
        for page in pages:
            page.url = self.page_url(issue, page.slug)
        context["pages"] = pages
        return context


class PageDetailView(EditionMixin, TemplateView):
    """One page large, with 本页文章 (the articles whose pages, or 下转/上接 continuation
    pages, include it), the previous and next pages and the PDF.
    Template: edition/page_detail.html."""

    template_name = "edition/page_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = context["issue"]
        pages = list(Page.objects.of(issue).only("pk", "index", "number"))
        slug = self.kwargs["page"]
        at = next((i for i, p in enumerate(pages) if p.slug == slug), None)
        if at is None:
            raise Http404("本期没有这一页。")
        page = Page.objects.get(pk=pages[at].pk)
        page.issue = issue
        context["page"] = page
        context["page_count"] = len(pages)
        context["position"] = at + 1
        neighbours = {"previous": pages[at - 1] if at else None}
        neighbours["next"] = pages[at + 1] if at + 1 < len(pages) else None
        for name, neighbour in neighbours.items():
            if neighbour is not None:
                neighbour.url = self.page_url(issue, neighbour.slug)
            context[name] = neighbour
        context["articles"] = self.articles_on(issue, page.number)
        return context

    def articles_on(self, issue, number):
        """[(article, continued)] printed on page ``number``: those whose start..end
        range covers it, then those continued onto it (下转/上接), in 目录 order."""
        if number is None:
            return []
        articles = list(
            self.readable(Article)
            .in_issue(issue)
            .in_toc_order()
            .select_related("column")
            .only(
                "issue_id",
                "toc_position",
                "title",
                "kicker",
                "start_page",
                "end_page",
                "continuation_pages",
                "column__name",
            )
        )
        # Few rows per issue: matching in Python keeps the JSON list portable (SQLite
        # has no JSON containment lookup), as the issue's go-to-page does.
        found = []
        for article in articles:
            article.issue = issue
            if article.start_page <= number <= article.end_page:
                found.append((article, False))
            elif number in (article.continuation_pages or []):
                found.append((article, True))
        return found


class EditionPreviewMixin(DraftPreviewMixin):
    """预览: the pages of an issue in any state, for staff who may change issues."""

    preview_model = Issue

    def get_issue(self):
        return self.get_object()

    def page_url(self, issue, slug):
        return reverse("preview:issue_page", kwargs={"pk": issue.pk, "page": slug})

    def pages_url(self, issue):
        return reverse("preview:issue_pages", kwargs={"pk": issue.pk})

    def issue_url(self, issue):
        return reverse("preview:issue", kwargs={"pk": issue.pk})


class PageListPreviewView(EditionPreviewMixin, PageListView):
    pass


class PageDetailPreviewView(EditionPreviewMixin, PageDetailView):
    pass
