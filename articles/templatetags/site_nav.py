"""The site-wide navigation: the standing 栏目 in the header."""

from django import template

from articles.models import Column

register = template.Library()


@register.inclusion_tag("includes/site_nav.html", takes_context=True)
def site_nav(context):
    request = context.get("request")
    return {"columns": Column.objects.all(), "path": request.path if request else ""}
