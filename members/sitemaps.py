from django.contrib.sitemaps import Sitemap

from .models import Person


class PersonSitemap(Sitemap):
    """People with something an anonymous reader may see; the others' pages are 404."""

    changefreq = "monthly"
    priority = 0.3

    def items(self):
        return Person.objects.with_visible_content(None).order_by("pk")
