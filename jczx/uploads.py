"""Uploads: images from CKEditor 5, checked by Pillow (not by their name), stripped of
metadata (EXIF/GPS) by re-encoding, stored under random names; media served so that
nothing uploaded can be rendered as HTML."""

import io
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.views.decorators.http import require_POST
from django.views.static import serve
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger("jczx.uploads")

# Pillow format → (stored extension, save format)
IMAGE_FORMATS = {
    "JPEG": ("jpg", "JPEG"),
    "PNG": ("png", "PNG"),
    "GIF": ("gif", "GIF"),
    "WEBP": ("webp", "WEBP"),
}


def clean_image(upload) -> ContentFile:
    """Verify ``upload`` is an image Pillow can read, within the size and pixel limits,
    and return a re-encoded copy without metadata, under a random name."""
    if upload.size > settings.JCZX_IMAGE_MAX_BYTES:
        limit = settings.JCZX_IMAGE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"图片太大：最大 {limit} MB。")
    Image.MAX_IMAGE_PIXELS = settings.JCZX_IMAGE_MAX_PIXELS
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in IMAGE_FORMATS:
            raise ValidationError("只能上传 JPEG、PNG、GIF 或 WebP 图片。")
        if image.width * image.height > settings.JCZX_IMAGE_MAX_PIXELS:
            raise ValidationError("图片像素过多。")
        extension, save_format = IMAGE_FORMATS[image.format]
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as exc:
        raise ValidationError("文件不是可识别的图片。") from exc
    out = io.BytesIO()
    if save_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Saving without exif= / pnginfo= drops EXIF (GPS included) and text chunks.
    image.save(out, format=save_format, **({"quality": 88} if save_format == "JPEG" else {}))
    return ContentFile(out.getvalue(), name=f"{secrets.token_hex(16)}.{extension}")


@require_POST
def image_upload(request):
    """CKEditor 5's upload endpoint: staff only, CSRF-protected, JSON answers."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return JsonResponse({"error": {"message": "没有上传权限。"}}, status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": "没有收到文件。"}}, status=400)
    try:
        content = clean_image(upload)
    except ValidationError as exc:
        return JsonResponse({"error": {"message": exc.messages[0]}}, status=400)
    name = default_storage.save(f"uploads/{content.name}", content)
    logger.info("image uploaded user=%s name=%s", request.user.username, name)
    return JsonResponse({"url": default_storage.url(name)})


def serve_media(request, path, document_root=None):
    """Serve an uploaded file so that no browser will run it as a page."""
    response = serve(request, path, document_root=document_root)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("image/", "application/pdf")):
        response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "public, max-age=86400"
    return response
