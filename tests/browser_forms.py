"""Submit an admin form the way a browser would: read the rendered HTML form (inputs,
checked boxes, selected options, textareas) into POST data, then change what a test
changes. Used to play two editors with the same page open."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = form_id is None
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None
        self._select_values: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.form_id is not None:
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            checkable = kind in {"checkbox", "radio"}
            if checkable and "checked" not in attrs:
                return
            value = attrs.get("value", "on" if checkable else "") or ""
            self.data.setdefault(name, []).append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self._select_values = []
        elif tag == "option" and self._select and "selected" in attrs:
            self._select_values.append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form_id is not None:
            self.inside = False
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that follows <textarea>.
            value = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = value.removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select_values:
                self.data.setdefault(self._select, []).extend(self._select_values)
            self._select = None


def form_data(response, form_id=None) -> dict:
    """The POST data of the form ``form_id`` (e.g. ``article_form``) in ``response``."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, values in reader.data.items():
        data[name] = values if len(values) > 1 else values[0]
    return data
