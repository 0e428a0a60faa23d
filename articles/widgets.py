"""A select box rendered in Python: the public filters' year, column and author lists
(a hundred options on a column page with 200 issues, hundreds of authors on the search
page) went through one template per option, attributes included, which made up most of
those pages' rendering time. The markup is byte for byte that of Django's own ``Select``
(tests/articles/test_widgets.py compares them)."""

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {conditional_escape(name)}")
        if value is not True:
            out.append(f'="{conditional_escape(str(value))}"')
    return "".join(out)


class PlainSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group_name for group_name, _, _ in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)  # optgroups: Django's own
        out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for _, options, _ in widget["optgroups"]:
            for option in options:
                out.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
        out.append("\n</select>")
        return mark_safe("".join(out))  # every value escaped above, as the templates do
