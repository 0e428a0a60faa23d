"""/favicon.ico: the icon set in 站点设置, else the site's standing one."""

from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import SiteSettings

DEFAULT_ICON = Path(__file__).parent / "static" / "sitesettings" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    icon = SiteSettings.load().favicon
    if icon:
        try:
            with icon.open("rb") as stored:
                return HttpResponse(stored.read(), content_type="image/png")
        except OSError:
            pass  # the file is missing from storage: the standing icon is better than a 404
    return HttpResponse(DEFAULT_ICON.read_bytes(), content_type="image/x-icon")
