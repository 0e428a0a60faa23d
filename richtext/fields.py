"""Rich text: one sanitizer, applied on every path into the database.

``RichTextField`` sanitizes in ``get_prep_value``, which Django calls for ``save()``,
``QuerySet.update()``, ``bulk_create()`` and ``bulk_update()`` alike, so the admin, the
importer, commands and plain code all store only allow-listed HTML.
"""

import nh3
from django_ckeditor_5.fields import CKEditor5Field

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
}

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    # Classes carry the magazine's own structure (a speech's speaker line, an image's
    # alignment from CKEditor); they are filtered to this list below.
    "p": {"class"},
    "figure": {"class"},
}

ALLOWED_CLASSES = {
    "p": {"speaker", "byline", "author-note", "signature"},
    "figure": {"image", "table", "image-style-side", "image_resized"},
}

URL_SCHEMES = {"http", "https", "mailto"}


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    # Images may only come from this site (relative URLs) or over http(s);
    # nh3 has already rejected other schemes (javascript:, data:, vbscript:).
    if attribute == "class":
        allowed = ALLOWED_CLASSES.get(element, set())
        kept = [name for name in value.split() if name in allowed]
        return " ".join(kept) or None
    return value


def sanitize_html(value: str | None) -> str:
    """Return ``value`` with everything outside the allow-list removed.

    Scripts, styles, iframes and their content are dropped entirely; event-handler
    and style attributes are dropped; links and images keep only http, https and
    mailto URLs (relative URLs stay, so uploaded images keep working).
    """
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


class RichTextField(CKEditor5Field):
    """A CKEditor 5 field whose value is sanitized by nh3 before it is stored."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return sanitize_html(str(value))

    def pre_save(self, model_instance, add):
        # Keep the instance in step with what was stored, so a saved object never
        # holds markup that the database does not.
        value = sanitize_html(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value
