"""RSS feeds (django.contrib.syndication). Feeds are fetched by readers' software, not
signed-in people, and may be cached by proxies: they show what an anonymous reader
may see, whoever asks."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .models import Article, Column

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    title = "晋城政协网 · 最新文章"
    description = "《晋城政协》最新一期的文章。"

    def link(self):
        return reverse("issues:home")

    def items(self):
        return Article.objects.visible_to(None).with_listing().latest_first()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_author_name(self, item):
        return "、".join(a.person.name for a in item.authorships.all()) or None

    def item_pubdate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [item.column.name]


class ColumnFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, column):
        return f"晋城政协网 · {column.name}"

    def description(self, column):
        return column.description or f"《晋城政协》{column.name}栏目的文章。"

    def link(self, column):
        return column.get_absolute_url()

    def items(self, column):
        return (
            Article.objects.visible_to(None)
            .filter(column=column)
            .with_listing()
            .latest_first()[:FEED_SIZE]
        )
