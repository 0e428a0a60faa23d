"""The public search page /search/?q= (the query logic is in search/fulltext.py for
articles, search/kinds.py for 工作动态 items, people and issues)."""

import django_filters
from django.db.models import Exists, OuterRef
from django.views.generic import ListView

from articles.models import Article, Column, NewsItem
from articles.widgets import PlainSelect
from issues.models import Issue
from members.models import Person

from .fulltext import (
    MAX_QUERY_LENGTH,
    article_text,
    highlight,
    parse_query,
    search_articles,
    snippet,
)
from .kinds import issue_references, search_issues, search_news, search_people
from .memo import one_generation

# The kinds of result, in the order the page shows them in 全部 (issues and people are
# few and named exactly, so they come first).
KINDS = [("issue", "期刊"), ("person", "人物"), ("news", "工作动态"), ("article", "文章")]
PREVIEW_SIZE = 5  # results of each other kind shown above the articles in 全部


def _authors(request):
    """People with a byline in an article ``request.user`` may read."""
    visible = Article.objects.visible_to(request.user if request else None)
    return Person.objects.filter(authorships__article__in=visible).distinct().order_by("name")


def _keep(queryset, name, value):
    # The kind chooses which results are listed, not which articles match.
    return queryset


class ArticleSearchFilter(django_filters.FilterSet):
    """Kind, year, column and author filters of the search page. A value that is not
    among the choices (a year with nothing visible, an unknown author) is shown as an
    error on the form and ignored."""

    kind = django_filters.ChoiceFilter(
        label="类别", empty_label="全部类别", choices=KINDS, method=_keep, widget=PlainSelect
    )
    year = django_filters.ChoiceFilter(
        field_name="issue__year",
        label="年份",
        empty_label="全部年份",
        choices=[],
        widget=PlainSelect,
    )
    column = django_filters.ModelChoiceFilter(
        queryset=Column.objects.all(),
        to_field_name="slug",
        label="栏目",
        empty_label="全部栏目",
        widget=PlainSelect,
    )
    author = django_filters.ModelChoiceFilter(
        field_name="authorships__person",
        queryset=_authors,
        label="作者",
        empty_label="全部作者",
        widget=PlainSelect,
    )

    class Meta:
        model = Article
        fields = ["kind", "year", "column", "author"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        years = (
            Issue.objects.visible_to(request.user if request else None)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(str(y), f"{y}年") for y in years]

    def value(self, name):
        self.errors  # noqa: B018 — validates the form, filling cleaned_data
        return self.form.cleaned_data.get(name)

    @property
    def active(self) -> bool:
        """Whether the reader chose at least one valid filter."""
        return any(self.value(name) for name in self.filters)

    @property
    def narrows_articles(self) -> bool:
        return any(self.value(name) for name in ("year", "column", "author"))


class SearchView(ListView):
    """Search results of every kind, 20 a page. Template: search/search_results.html.

    Context: ``query`` (search.fulltext.ParsedQuery), ``filter`` (ArticleSearchFilter),
    ``kind`` (the chosen kind, "" for 全部), ``counts`` (kind, label, count) for each
    kind, ``previews`` (kind, label, count, first results) of the other kinds above the
    articles in 全部 on page 1, ``results`` (the page's results of the listed kind,
    each with ``marked_title`` and ``snippet``), ``page_obj``, ``max_query_length``.
    With no query words, the filters alone list their results newest first; with
    neither, the page shows only the form.
    """

    template_name = "search/search_results.html"
    context_object_name = "results"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        with one_generation():  # the memos of article and 工作动态 matches: one read
            return super().get(request, *args, **kwargs)

    def get_queryset(self):
        user = self.request.user
        self.query = parse_query(self.request.GET.get("q", ""))
        self.filter = ArticleSearchFilter(
            self.request.GET, queryset=Article.objects.visible_to(user), request=self.request
        )
        self.kind = self.filter.value("kind") or ""
        self.searched = bool(self.query) or self.filter.active
        narrowed = self.filter.qs  # the visible articles of the chosen year/column/author
        self.found = {
            "article": self._articles(narrowed),
            "news": self._news(user),
            "person": self._people(user, narrowed),
            "issue": self._issues(user, narrowed),
        }
        return self.found[self.kind or "article"]

    # One QuerySet per kind, each narrowed by the filters that apply to it.

    def _articles(self, narrowed):
        articles = narrowed.with_listing().defer("search_text", "search_vector")
        if self.query:
            return search_articles(articles, self.query)
        if self.filter.active:
            return articles.latest_first()
        return articles.none()

    def _news(self, user):
        items = NewsItem.objects.visible_to(user).select_related("issue")
        if year := self.filter.value("year"):
            items = items.filter(issue__year=year)
        if column := self.filter.value("column"):
            items = items.filter(article__column=column)
        if author := self.filter.value("author"):
            items = items.filter(people=author)
        if self.query:
            return search_news(items, self.query)
        return items.latest_first() if self.kind == "news" else items.none()

    def _people(self, user, narrowed):
        people = Person.objects.with_visible_content(user)
        if author := self.filter.value("author"):
            people = people.filter(pk=author.pk)
        if self.filter.value("year") or self.filter.value("column"):
            people = people.filter(
                Exists(narrowed.filter(authorships__person=OuterRef("pk")).values("pk"))
            )
        if self.query:
            return search_people(people, self.query)
        return people.order_by("name", "pk") if self.kind == "person" else people.none()

    def _issues(self, user, narrowed):
        issues = Issue.objects.visible_to(user)
        if year := self.filter.value("year"):
            issues = issues.filter(year=year)
        if self.filter.value("column") or self.filter.value("author"):
            issues = issues.filter(Exists(narrowed.filter(issue=OuterRef("pk")).values("pk")))
        if issue_references(self.query.text):
            return search_issues(issues, self.query.text)
        return issues.latest_first() if self.kind == "issue" else issues.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pattern = self.query.highlight_pattern
        listed = self.kind or "article"
        counts = {
            kind: (context["paginator"].count if kind == listed else qs.count())
            for kind, qs in self.found.items()
        }
        previews = []
        if not self.kind and context["page_obj"].number == 1:
            for kind, label in KINDS[:-1]:
                if counts[kind]:
                    items = list(self.found[kind][:PREVIEW_SIZE])
                    self._mark(kind, items, pattern)
                    previews.append((kind, label, counts[kind], items))
        self._mark(listed, context["results"], pattern)
        context.update(
            query=self.query,
            filter=self.filter,
            kind=self.kind,
            listed=listed,
            counts=[(kind, label, counts[kind]) for kind, label in KINDS],
            previews=previews,
            searched=self.searched or bool(issue_references(self.query.text)),
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context

    @staticmethod
    def _mark(kind, results, pattern):
        """Give each result ``marked_title`` and ``snippet`` for the template."""
        for result in results:
            if kind == "article":
                result.marked_title = highlight(result.title, pattern)
                result.snippet = snippet(article_text(result), pattern)
            elif kind == "news":
                result.snippet = snippet(result.text_after_date, pattern)
            elif kind == "person":
                result.marked_title = highlight(result.name, pattern)
                result.snippet = highlight(result.position, pattern)
            else:
                result.marked_title = str(result)
