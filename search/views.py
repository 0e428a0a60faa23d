"""The public search page /search/?q= (the query logic is in search/fulltext.py)."""

import django_filters
from django.views.generic import ListView

from articles.models import Article, Column
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


def _authors(request):
    """People with a byline in an article ``request.user`` may read."""
    visible = Article.objects.visible_to(request.user if request else None)
    return Person.objects.filter(authorships__article__in=visible).distinct().order_by("name")


class ArticleSearchFilter(django_filters.FilterSet):
    """Year, column and author filters of the search page. A value that is not among
    the choices (a year with nothing visible, an unknown author) is shown as an error
    on the form and ignored."""

    year = django_filters.ChoiceFilter(
        field_name="issue__year", label="年份", empty_label="全部年份", choices=[]
    )
    column = django_filters.ModelChoiceFilter(
        queryset=Column.objects.all(), to_field_name="slug", label="栏目", empty_label="全部栏目"
    )
    author = django_filters.ModelChoiceFilter(
        field_name="authorships__person", queryset=_authors, label="作者", empty_label="全部作者"
    )

    class Meta:
        model = Article
        fields = ["year", "column", "author"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        years = (
            Issue.objects.visible_to(request.user if request else None)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(str(y), f"{y}年") for y in years]

    @property
    def active(self) -> bool:
        """Whether the reader chose at least one valid filter."""
        self.errors  # noqa: B018 — validates the form, filling cleaned_data
        return any(self.form.cleaned_data.get(name) for name in self.filters)


class SearchView(ListView):
    """Search results, 20 a page. Template: search/search_results.html.

    Context: ``query`` (search.fulltext.ParsedQuery), ``filter`` (ArticleSearchFilter),
    ``results`` (the page's articles, each with ``marked_title`` and ``snippet``),
    ``page_obj``, ``max_query_length``. With no query words, the filters alone list
    their articles newest first; with neither, the page shows only the form.
    """

    template_name = "search/search_results.html"
    context_object_name = "results"
    paginate_by = 20

    def get_queryset(self):
        self.query = parse_query(self.request.GET.get("q", ""))
        self.filter = ArticleSearchFilter(
            self.request.GET,
            queryset=Article.objects.visible_to(self.request.user),
            request=self.request,
        )
        articles = self.filter.qs.with_listing().defer("search_text", "search_vector")
        if self.query:
            return search_articles(articles, self.query)
        if self.filter.active:
            return articles.latest_first()
        return articles.none()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pattern = self.query.highlight_pattern
        for article in context["results"]:
            article.marked_title = highlight(article.title, pattern)
            article.snippet = snippet(article_text(article), pattern)
        context.update(
            query=self.query,
            filter=self.filter,
            searched=bool(self.query) or self.filter.active,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context
