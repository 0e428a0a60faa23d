"""WSGI entry point: ``gunicorn jczx.wsgi``.

Anonymous readers' cached pages are answered in front of Django (pagecache.cache.
PageCacheFront); everything else goes to Django's own WSGI handler.

Each worker warms up before its first request: jieba's dictionary is loaded (else the
first search or save pays about half a second), then ``gc.freeze()`` moves everything
alive at start-up — Django, the URL patterns, templates, the dictionary — out of the
garbage collector's sight, so that its full collections no longer walk hundreds of
thousands of long-lived objects (pauses of 40–80 ms in the middle of a request)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jczx.settings")

django_application = get_wsgi_application()

from pagecache.cache import PageCacheFront  # noqa: E402  (needs the settings loaded)


def warm_up() -> None:
    import jieba

    jieba.initialize()
    gc.collect()
    gc.freeze()


warm_up()
application = PageCacheFront(django_application)
