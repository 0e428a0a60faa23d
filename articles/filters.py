import django_filters

from .models import Article
from .widgets import PlainSelect


class ColumnArticleFilter(django_filters.FilterSet):
    """The year filter of a column page; its choices are the years that have articles
    in the given queryset, so a reader never picks an empty year."""

    year = django_filters.ChoiceFilter(
        field_name="issue__year",
        label="年份",
        empty_label="全部年份",
        choices=[],
        widget=PlainSelect,
    )

    class Meta:
        model = Article
        fields = ["year"]

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        years = queryset.order_by("-issue__year").values_list("issue__year", flat=True).distinct()
        self.filters["year"].extra["choices"] = [(str(y), f"{y}年") for y in years]
