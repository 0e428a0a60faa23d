from django.contrib.sitemaps import Sitemap

from .models import Issue


class IssueSitemap(Sitemap):
    """Issues an anonymous reader may see (a sitemap is public, whoever fetches it)."""

    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Issue.objects.visible_to(None).latest_first()

    def lastmod(self, issue):
        return issue.updated_at
