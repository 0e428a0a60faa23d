from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef

from .models import Article, Column, NewsItem


class ArticleSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.6

    def items(self):
        return Article.objects.visible_to(None).select_related("issue").latest_first()

    def lastmod(self, article):
        return article.updated_at


class ColumnSitemap(Sitemap):
    """Columns with at least one article an anonymous reader may see."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Column.objects.filter(
            Exists(Article.objects.visible_to(None).filter(column=OuterRef("pk")))
        )


class NewsItemSitemap(Sitemap):
    changefreq = "yearly"
    priority = 0.3

    def items(self):
        return NewsItem.objects.visible_to(None).latest_first()
