"""The editors' dashboard on the admin index: the panels the content apps registered
(``workflow.dashboard``), each rendered with its own template."""

from django import template
from django.template.loader import render_to_string

from workflow import dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def editorial_dashboard(context):
    request = context["request"]
    parts = []
    for panel in dashboard.panels():
        data = panel.context(request.user)
        if data is not None:
            parts.append(render_to_string(panel.template, data, request=request))
    return render_to_string("admin/workflow/dashboard.html", {"panels": parts})
