"""``site``: the 站点设置 every public page's header and footer show.

Read from the database (one primary-key read) by the pages that show it. A memo in the
shared cache would save nothing: knowing whether it is current takes a read of the
content generation, which lives in the database too (pagecache), and costs the same.
Pages served from the page cache are not rendered and read neither.
"""

from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site(request):
    return {"site": SimpleLazyObject(SiteSettings.load)}
