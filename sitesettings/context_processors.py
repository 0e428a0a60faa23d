"""``site``: the 站点设置 every public page's header and footer show.

Read once per content generation when the cache is shared by every process (the page
cache's generation changes with any write to this app, a content app in
``JCZX_CONTENT_APPS``); read from the database on each request otherwise, since another
process's change would not reach a process-local memo.
"""

import logging

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from pagecache.cache import generation_for_reading, page_cache

from .models import SiteSettings

logger = logging.getLogger("jczx.sitesettings")


def _load() -> SiteSettings:
    if not settings.JCZX_SHARED_CACHE:
        return SiteSettings.load()
    try:
        key = f"jczx:sitesettings:{generation_for_reading()}"
        found = page_cache().get(key)
    except Exception:
        logger.exception("cache unavailable")
        return SiteSettings.load()
    if found is None:
        found = SiteSettings.load()
        try:
            page_cache().set(key, found, settings.JCZX_PAGE_CACHE_SECONDS)
        except Exception:
            logger.exception("cache unavailable")
    return found


def site(request):
    return {"site": SimpleLazyObject(_load)}
