"""Read a rendered form back into POST data, the way a browser would submit it, so
tests can post the admin's own forms (inlines and all) with a few fields changed."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._select_options: list[tuple[str, bool]] = []
        self._select_multiple = False
        self._option_value = None
        self._option_text = ""
        self._option_selected = False
        self._textarea = None
        self._textarea_text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(
                attrs.get("value") or ("on" if kind in {"checkbox", "radio"} else "")
            )
        elif tag == "select" and name:
            self._select = name
            self._select_options = []
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            self._option_value = attrs.get("value")
            self._option_text = ""
            self._option_selected = "selected" in attrs
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_text = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._select is not None and self._option_value is not False:
            value = self._option_value if self._option_value is not None else self._option_text
            self._select_options.append((value, self._option_selected))
            self._option_value = False
        elif tag == "select" and self._select:
            chosen = [v for v, selected in self._select_options if selected]
            if not chosen and not self._select_multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            if chosen:
                self.data.setdefault(self._select, []).extend(chosen)
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = self._textarea_text
            self.data.setdefault(self._textarea, []).append(
                text[1:] if text.startswith("\n") else text
            )
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._textarea_text += data
        elif self._select and self._option_value is not False:
            self._option_text += data


def form_data(page, form_id: str) -> dict:
    """POST data of the form with ``id=form_id`` in ``page`` (HTML, or a test client's
    response): single values as strings, repeated names as lists (what Django's test
    client accepts)."""
    reader = _FormReader(form_id)
    reader.feed(page if isinstance(page, str) else page.content.decode())
    return {k: v[0] if len(v) == 1 else v for k, v in reader.data.items()}
