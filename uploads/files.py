"""Uploads: images and issue PDFs are checked by their content (never by their name),
size-limited and stored under random names; images are re-encoded to drop metadata
(EXIF/GPS); media are served so that nothing uploaded can be rendered as a page.

The same checks run on every path in: CKEditor 5's upload endpoint (``image_upload``),
the admin's cover and PDF fields (``CleanImageField``, ``PdfField``) and plain code that
assigns a file to those fields (their ``pre_save``).
"""

import io
import logging
import posixpath
import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import signals
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.deconstruct import deconstructible
from django.views.decorators.http import require_POST
from django.views.static import serve
from PIL import Image, ImageCms, UnidentifiedImageError

from security.audit import log_admin_event

from . import access
from .renditions import TooManyPixels, check_pixels
from .storage import DISK_FULL_MESSAGE, is_disk_full

logger = logging.getLogger("jczx.uploads")

# Pillow format → (stored extension, save format)
IMAGE_FORMATS = {
    "JPEG": ("jpg", "JPEG"),
    "PNG": ("png", "PNG"),
    "GIF": ("gif", "GIF"),
    "WEBP": ("webp", "WEBP"),
}
PDF_MAGIC = b"%PDF-"
# Where the CKEditor upload endpoint stores images for articles' text.
EDITOR_UPLOADS_FOLDER = "uploads/"
# Served inline by serve_media: the raster formats clean_image produces.
INLINE_IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# What of an image's ``info`` the re-encoded copy keeps: a palette image's transparent
# index is part of its pixels. Everything else (EXIF, XMP, ICC, JPEG COM, PNG text
# chunks, GIF comments and extensions, WebP metadata) is left out.
KEPT_IMAGE_INFO = frozenset({"transparency"})
_SRGB = ImageCms.createProfile("sRGB")


class CleanedFile(ContentFile):
    """An image that ``clean_image`` has already checked and re-encoded."""


def clean_image(upload) -> CleanedFile:
    """Verify ``upload`` is an image Pillow can read, within the size and pixel limits,
    and return a re-encoded copy of its pixels alone (in sRGB, with no metadata of any
    kind: ``KEPT_IMAGE_INFO``), under a random name."""
    if upload.size > settings.JCZX_IMAGE_MAX_BYTES:
        limit = settings.JCZX_IMAGE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"图片太大：最大 {limit} MB。", code="image_too_large")
    # The limit is checked on the size Image.open reads from the header, before anything
    # is decoded. Pillow's own process-wide guard (Image.MAX_IMAGE_PIXELS) is left as it
    # is: its DecompressionBombError, from twice its default (≈179 megapixels), refuses
    # a bomb before even the header check.
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            check_pixels(probe)
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in IMAGE_FORMATS:
            raise ValidationError("只能上传 JPEG、PNG、GIF 或 WebP 图片。", code="image_format")
        extension, save_format = IMAGE_FORMATS[image.format]
        image.load()
    except TooManyPixels as exc:
        raise ValidationError(f"{exc}。", code="image_too_many_pixels") from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError("图片像素过多。", code="image_too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError("文件不是可识别的图片。", code="not_an_image") from exc
    out = io.BytesIO()
    image = _in_srgb(image)
    if save_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Pillow's writers take comments, ICC profiles and extensions from ``info`` as well as
    # from save()'s arguments: with only the pixels left there, nothing else is written.
    image.info = {key: value for key, value in image.info.items() if key in KEPT_IMAGE_INFO}
    image.save(out, format=save_format, **({"quality": 88} if save_format == "JPEG" else {}))
    return CleanedFile(out.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")


def _in_srgb(image):
    """``image`` with its colours converted to sRGB when it carries an ICC profile (a
    camera's Display P3, a scanner's Adobe RGB), so that dropping the profile keeps its
    colours: browsers show an image without a profile as sRGB. A profile that cannot be
    read, or an image whose mode it does not fit, keeps its pixels as they are."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def check_pdf(upload) -> None:
    """Refuse anything that is not a PDF by its first bytes, or is over the size limit."""
    if upload.size > settings.JCZX_PDF_MAX_BYTES:
        limit = settings.JCZX_PDF_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"PDF 文件太大：最大 {limit} MB。", code="pdf_too_large")
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        raise ValidationError("文件不是 PDF。", code="not_a_pdf")


def validate_pdf(value) -> None:
    """Model validator for ``PdfField``: checks new uploads (stored files were checked
    when they came in)."""
    if value and not getattr(value, "_committed", True):
        check_pdf(value.file)


@deconstructible
class RandomFileName:
    """``upload_to`` that stores a file as ``<folder>/<year>/<32 hex digits><suffix>``:
    nothing of the uploader's file name reaches the disk or a URL."""

    def __init__(self, folder: str, suffix: str | None = None):
        self.folder = folder
        self.suffix = suffix

    def __call__(self, instance, filename):
        suffix = self.suffix or posixpath.splitext(filename)[1].lower()
        year = timezone.localdate().year
        return f"{self.folder}/{year}/{secrets.token_hex(16)}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomFileName) and (self.folder, self.suffix) == (
            other.folder,
            other.suffix,
        )


class CleanImageFormField(forms.FileField):
    """A file input whose cleaned value is ``clean_image``'s re-encoded copy."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ",".join(sorted(INLINE_IMAGE_TYPES))}

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return clean_image(upload)


class _CheckedUpload:
    """Runs ``check_upload`` on a new file before ``save()`` writes anything, whichever
    code assigned it. Connected to pre_save the way Django's ImageField hooks post_init:
    pre_save is sent before save() opens its transaction, so a refusal leaves the
    caller's transaction usable."""

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            signals.pre_save.connect(self._check_new_file, sender=cls)

    def _check_new_file(self, instance, raw=False, **kwargs):
        file = getattr(instance, self.attname)
        if not raw and file and not file._committed:
            self.check_upload(file)

    def check_upload(self, file):
        raise NotImplementedError


class CleanImageField(_CheckedUpload, models.ImageField):
    """An ImageField whose uploads go through ``clean_image``, from a form or from code."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def check_upload(self, file):
        if not isinstance(file.file, CleanedFile):  # the form field cleaned it already
            cleaned = clean_image(file.file)
            file.file, file.name = cleaned, cleaned.name


class PdfFormField(forms.FileField):
    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": "application/pdf"}


class PdfField(_CheckedUpload, models.FileField):
    """A FileField for PDFs: checked by magic bytes and size, from a form or from code."""

    default_validators = [validate_pdf]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PdfFormField, **kwargs})

    def check_upload(self, file):
        check_pdf(file.file)


@require_POST
def image_upload(request):
    """CKEditor 5's upload endpoint: staff only, CSRF-protected, JSON answers."""
    if not (request.user.is_authenticated and request.user.is_staff):
        log_admin_event(user=request.user, action="upload", obj="-", result="denied")
        return JsonResponse({"error": {"message": "没有上传权限。"}}, status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "没有收到文件。"}}, status=400)
    try:
        content = clean_image(upload)
    except ValidationError as exc:
        log_admin_event(
            user=request.user, action="upload", obj=upload.name[:100], result="rejected"
        )
        return JsonResponse({"error": {"message": exc.messages[0]}}, status=400)
    try:
        name = default_storage.save(f"{EDITOR_UPLOADS_FOLDER}{content.name}", content)
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        # The storage removed what it had written; CKEditor shows the message.
        logger.error("image upload by %s not saved: %s", request.user, exc)
        log_admin_event(user=request.user, action="upload", obj=upload.name[:100], result="error")
        return JsonResponse({"error": {"message": DISK_FULL_MESSAGE}}, status=507)
    log_admin_event(user=request.user, action="upload", obj=name, result="success")
    return JsonResponse({"url": default_storage.url(name)})


# Stored names are short (RandomFileName's are under 60 characters); a longer path, a
# part longer than a file name can be (255 bytes), a NUL or another control character is
# no file of ours, and would be an error, not a 404, from the database (PostgreSQL takes
# no NUL in a string) or the file system (ENAMETOOLONG).
MAX_MEDIA_NAME = 1024
MAX_NAME_PART_BYTES = 255


def servable_name(path: str) -> bool:
    """May ``path`` (after /media/) name a stored file at all?"""
    return (
        len(path) <= MAX_MEDIA_NAME
        and not any(ord(c) < 32 or c == "\x7f" for c in path)
        and all(
            len(part.encode("utf-8", "surrogatepass")) <= MAX_NAME_PART_BYTES
            for part in path.split("/")
        )
    )


def serve_media(request, path):
    """Serve an uploaded file from MEDIA_ROOT so that no browser will run it as a page:
    raster images and PDFs inline, anything else (HTML, SVG, scripts …) as an opaque
    download. (A front server may serve /media/ itself: it must send the same headers,
    and leave issues' covers, PDFs and cover renditions to this view.)

    An issue's cover, PDF or cover rendition is served only to whoever may read the
    issue (``Issue.objects.visible_to``; staff: whoever may open it in the admin), 404 to
    anyone else; ``Cache-Control: private`` and ``Vary: Cookie`` when only signed-in
    readers may have it. With DJANGO_STORAGE=s3 this view is not used: media URLs point
    at the bucket, and the check is the signed, expiring URL only a page the reader may
    see hands out."""
    if not servable_name(path):
        raise Http404("没有这个文件。")
    # Normalised as django.views.static.serve does, so that the name checked is the file
    # served ("covers/2026/./x.jpg", "covers//2026/x.jpg" are covers/2026/x.jpg).
    path = posixpath.normpath(path).lstrip("/")
    cache_control = access.cache_control(request, path)
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    if cache_control == access.PRIVATE_CACHE_CONTROL:
        patch_vary_headers(response, ("Cookie",))
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if content_type == "application/pdf":
        # No CSP sandbox here: Chromium's and Safari's PDF viewers refuse to render in a
        # sandboxed document (crbug.com/413851). A PDF checked by its magic bytes and
        # labelled application/pdf with nosniff is never parsed as HTML.
        return response
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    if content_type not in INLINE_IMAGE_TYPES:
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = "attachment"
    return response
