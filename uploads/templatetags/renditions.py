"""{% rendition file "thumb" %} and {{ html|with_renditions }}: see uploads.renditions."""

from django import template
from django.utils.safestring import mark_safe

from uploads.renditions import get_rendition, html_with_renditions

register = template.Library()


@register.simple_tag
def rendition(file, spec_name):
    """The rendition (prints as its URL; ``.url``, ``.width``, ``.height``), or "" when
    there is no image to show."""
    return get_rendition(file, spec_name) or ""


@register.filter(is_safe=True)
def with_renditions(value):
    """Rich text (already sanitized) with its uploaded images swapped for renditions."""
    return mark_safe(html_with_renditions(value))  # only src/width/height are rewritten


@register.filter
def absolute(url, request):
    """``url`` made absolute for ``request``'s scheme and host (unchanged if it is)."""
    return request.build_absolute_uri(url)
