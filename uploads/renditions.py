"""Renditions: resized copies of uploaded images, so readers never download an original.

An editor may upload a 6000-pixel scan as a cover, or a phone photo into an article; the
site shows covers 112–176 CSS pixels wide. Each use names a rendition (``SPECS``), made
with Pillow the first time a page asks for it and stored beside the uploads under
``renditions/<spec>/`` in the same storage (the media folder, or S3), where later
requests find it. The name of a rendition follows from the original's name and the spec,
and uploads are stored under random, never reused names, so a rendition never needs
invalidating: a new cover is a new file with new renditions.

In templates::

    {% load renditions %}
    <img src="{% rendition issue.cover "thumb" %}">
    {% rendition issue.cover "medium" as cover %}{% if cover %}<img src="{{ cover.url }}"
        width="{{ cover.width }}" height="{{ cover.height }}">{% endif %}
    {{ article.body|with_renditions }}     {# <img> inside rich text #}

``manage.py make_renditions`` makes them all ahead of time (after a bulk upload).
"""

from __future__ import annotations

import hashlib
import html
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import escape
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger("jczx.renditions")


class TooManyPixels(Image.DecompressionBombError):
    """An image over ``JCZX_IMAGE_MAX_PIXELS``; the message names its size."""


def check_pixels(image) -> None:
    """Refuse an opened image (its header read, nothing decoded) with more pixels than
    ``JCZX_IMAGE_MAX_PIXELS``: the project's limit, checked per image, rather than
    Pillow's ``Image.MAX_IMAGE_PIXELS``, which would change it for the whole process."""
    if image.width * image.height > settings.JCZX_IMAGE_MAX_PIXELS:
        raise TooManyPixels(f"图片像素过多（{image.width}×{image.height}）")


@dataclass(frozen=True)
class Spec:
    """Fit within width × height (never enlarged), as JPEG."""

    width: int
    height: int
    quality: int = 82


# Covers are 5:7. Sizes are for screens of twice the CSS pixel density.
SPECS = {
    "thumb": Spec(320, 448),  # lists: 往期回顾, cards (7–9rem wide)
    "medium": Spec(480, 672),  # the issue page, the home page's current issue, og:image
    "body": Spec(1280, 1280),  # images inside an article's text
}
CACHE_SECONDS = 24 * 60 * 60
_ERRORS = (OSError, ValueError, SyntaxError, UnidentifiedImageError, Image.DecompressionBombError)


@dataclass(frozen=True)
class Rendition:
    name: str
    url: str
    width: int
    height: int

    def __str__(self) -> str:  # {% rendition file "thumb" %} prints the URL
        return self.url


@dataclass(frozen=True)
class StoredFile:
    """A name in a storage: what an ImageField gives, for images found in rich text."""

    name: str
    storage: object = default_storage


def _folder(spec_name: str) -> str:
    spec = SPECS[spec_name]
    return f"renditions/{spec_name}-{spec.width}x{spec.height}/"


def rendition_name(original: str, spec_name: str) -> str:
    stem = original.rsplit(".", 1)[0]
    return f"{_folder(spec_name)}{stem}.jpg"


def rendition_origin(name: str) -> tuple[str, str] | None:
    """``(spec_name, stem)`` when ``name`` is where ``rendition_name`` puts renditions:
    it was made from an original named ``stem`` or ``stem.<extension>`` (confirm with
    ``rendition_name(original, spec_name) == name``). None for any other name."""
    for spec_name in SPECS:
        folder = _folder(spec_name)
        if name.startswith(folder) and name.endswith(".jpg"):
            stem = name[len(folder) : -len(".jpg")]
            return (spec_name, stem) if stem else None
    return None


def get_rendition(file, spec_name: str) -> Rendition | None:
    """The rendition ``spec_name`` of ``file`` (an ImageField's file or a StoredFile),
    made now if it does not exist yet; None when there is no file or it is not an image
    Pillow can read (logged)."""
    if not file or not getattr(file, "name", None):
        return None
    storage = file.storage
    name = rendition_name(file.name, spec_name)
    key = "jczx:rendition:" + hashlib.sha256(name.encode()).hexdigest()
    known = _remembered(key)
    if known is None:
        try:
            known = _existing(storage, name) or _make(file, storage, name, SPECS[spec_name])
        except _ERRORS as exc:
            logger.warning("no %s rendition of %s: %s", spec_name, file.name, exc)
            return None
        _remember(key, known)
    stored, width, height = known
    return Rendition(stored, storage.url(stored), width, height)


# The cache only saves opening the rendition to read its size: when it is unreachable
# (Redis down), the page asks the storage instead. A rendition's name never changes
# meaning, so nothing remembered here can be stale.


def _remembered(key):
    try:
        return cache.get(key)
    except Exception as exc:
        logger.warning("cache unavailable, rendition size read from storage: %r", exc)
        return None


def _remember(key, known) -> None:
    try:
        cache.set(key, known, CACHE_SECONDS)
    except Exception as exc:
        logger.warning("cache unavailable, rendition size not kept: %r", exc)


def _existing(storage, name):
    if not storage.exists(name):
        return None
    with storage.open(name) as f, Image.open(f) as image:
        return name, image.width, image.height


def _make(file, storage, name, spec: Spec):
    with file.storage.open(file.name) as f, Image.open(f) as original:
        check_pixels(original)  # an original stored before the limit, or not uploaded here
        # JPEG decodes straight at a fraction of its size: much faster for big scans.
        original.draft("RGB", (spec.width * 2, spec.height * 2))
        image = ImageOps.exif_transpose(original)
        if image.mode in ("RGBA", "LA", "P"):
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        elif image.mode != "RGB":
            image = image.convert("RGB")
        image.thumbnail((spec.width, spec.height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=spec.quality, optimize=True, progressive=True)
    stored = storage.save(name, ContentFile(out.getvalue()))
    return stored, image.width, image.height


# --- Images inside rich text ---------------------------------------------------------

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"')
_SIZE = re.compile(r'\s(?:width|height)="[^"]*"')


def _uploaded_image(tag: str) -> str | None:
    """The stored name of the uploaded file an ``<img>`` tag shows (its src under
    MEDIA_URL), or None: an image from elsewhere, or already a rendition."""
    src = _SRC.search(tag)
    if src is None:
        return None
    url = html.unescape(src.group(1))
    if not url.startswith(settings.MEDIA_URL) or url.startswith(settings.MEDIA_URL + "renditions/"):
        return None
    return url[len(settings.MEDIA_URL) :]


def html_with_renditions(value: str, spec_name: str = "body") -> str:
    """``value`` (sanitized rich text: nh3 writes attributes double-quoted) with each
    ``<img>`` of an uploaded file pointing at its rendition, width and height set."""
    return swap_renditions(value, spec_name)[0]


def swap_renditions(value: str, spec_name: str = "body") -> tuple[str, bool]:
    """``html_with_renditions(value)``, and whether every uploaded image in it got its
    rendition (False when one could not be made: the tag still shows the original)."""
    missing = []

    def swap(match):
        tag = match.group(0)
        name = _uploaded_image(tag)
        if name is None:
            return tag
        found = get_rendition(StoredFile(name), spec_name)
        if found is None:
            missing.append(name)
            return tag
        tag = _SIZE.sub("", tag)
        attributes = (
            f' src="{escape(found.url)}" width="{found.width}" height="{found.height}"'
            ' loading="lazy"'
        )
        tag = _SRC.sub(lambda _: attributes, tag, count=1)
        return tag.replace(' loading="lazy" loading="lazy"', ' loading="lazy"')

    return _IMG.sub(swap, value or ""), not missing


def markup_scheme(storage=default_storage) -> str | None:
    """What the markup of ``swap_renditions`` depends on besides the text: how the
    storage makes URLs (its class and base URL). None when its URLs are signed and
    expire (S3 with query-string auth): such markup must be made for each request and
    never kept."""
    if getattr(storage, "querystring_auth", False):
        return None
    kind = type(storage)
    return f"{kind.__module__}.{kind.__qualname__} {storage.url('renditions/')}"


def uploaded_images(value: str) -> list[StoredFile]:
    """The uploaded files the ``<img>`` tags of rich text ``value`` show."""
    return [
        StoredFile(name) for name in filter(None, map(_uploaded_image, _IMG.findall(value or "")))
    ]


# What make_all_renditions makes: sources registered by the apps that show images
# (issues: covers; articles: images in their text), each yielding (file, spec name).
_sources: list[Callable[[], Iterable[tuple[object, str]]]] = []


def register_source(source: Callable[[], Iterable[tuple[object, str]]]) -> None:
    if source not in _sources:
        _sources.append(source)


def make_all_renditions() -> tuple[int, int]:
    """Every rendition the site shows, from the registered sources (covers: thumb and
    medium; images in articles' text: body). Returns (available, failed)."""
    results = [get_rendition(file, spec) for source in _sources for file, spec in source()]
    made = sum(1 for r in results if r is not None)
    return made, len(results) - made
