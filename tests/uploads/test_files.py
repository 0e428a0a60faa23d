"""CKEditor 5's image upload endpoint and the serving of media: images are judged by
their content, lose their metadata, get random names; nothing uploaded renders as a page."""

import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL.ExifTags import IFD

from tests.images import (
    ICC_MARKER,
    METADATA_MARKERS,
    image_bytes,
    image_with_metadata,
    jpeg_with_gps,
    png_bomb,
    read_image,
    upload,
)

pytestmark = pytest.mark.django_db

URL = reverse("image_upload")
STORED = re.compile(r"^/media/uploads/[0-9a-f]{32}\.(jpg|png|gif|webp)$")


def post_image(client, name, content):
    return client.post(URL, {"upload": upload(name, content)})


def stored_bytes(response) -> bytes:
    url = response.json()["url"]
    assert STORED.match(url), url
    with default_storage.open(url.removeprefix("/media/")) as f:
        return f.read()


def test_gps_and_camera_metadata_are_stripped(editor_client):
    original = jpeg_with_gps()
    assert read_image(original).getexif().get_ifd(IFD.GPSInfo)  # the fixture really has GPS

    response = post_image(editor_client, "IMG_2041.jpg", original)

    assert response.status_code == 200
    stored = read_image(stored_bytes(response))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(IFD.GPSInfo) == {}
    assert b"PhoneMaker" not in stored_bytes(response)
    assert stored.size == (40, 30)


@pytest.mark.parametrize(
    ("fmt", "name", "planted"),
    [
        ("JPEG", "photo.jpg", ["comment", "gps_note", "exif", "xmp"]),
        ("PNG", "chart.png", ["comment", "gps_note", "exif", "xmp", "text", "ztxt", "itxt"]),
        ("GIF", "logo.gif", ["comment", "gps_note"]),
        ("WEBP", "photo.webp", ["exif", "xmp"]),
    ],
)
def test_comments_text_chunks_exif_xmp_and_icc_are_all_stripped(editor_client, fmt, name, planted):
    original = image_with_metadata(fmt)
    # The crafted file really carries them (zTXt is compressed: Pillow reads it back).
    found = read_image(original).info
    assert all(
        METADATA_MARKERS[m] in original or METADATA_MARKERS[m].decode() in str(found)
        for m in planted
    )

    response = post_image(editor_client, name, original)

    assert response.status_code == 200
    data = stored_bytes(response)
    assert [m for m in METADATA_MARKERS if METADATA_MARKERS[m] in data] == []
    assert ICC_MARKER not in data.replace(b"\x00", b"")
    stored = read_image(data)
    assert stored.format == fmt and stored.size == (40, 30)
    kept = set(stored.info) & {
        "comment",
        "exif",
        "xmp",
        "XML:com.adobe.xmp",
        "icc_profile",
        "Comment",
        "Description",
        "GPS",
        "Title",
        "extension",
    }
    assert kept == set()
    if fmt == "GIF":  # the NETSCAPE application extension is gone too
        assert "loop" not in stored.info
    assert dict(stored.getexif()) == {}
    assert stored.convert("RGB").getpixel((20, 15))[0] > 150  # still the red image


def test_a_png_named_jpg_is_stored_as_the_png_it_is(editor_client):
    response = post_image(editor_client, "photo.jpg", image_bytes("PNG"))
    assert response.status_code == 200
    assert response.json()["url"].endswith(".png")
    assert read_image(stored_bytes(response)).format == "PNG"


def test_stored_names_are_random_and_never_the_uploaders(editor_client):
    first = post_image(editor_client, "会议.jpg", image_bytes()).json()["url"]
    second = post_image(editor_client, "会议.jpg", image_bytes()).json()["url"]
    assert first != second
    assert "会议" not in first


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.png", b"<html><script>alert(1)</script></html>"),
        ("notes.png", "政协工作要点\n".encode()),
        (
            "drawing.png",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        ),
        ("empty.jpg", b""),
        ("truncated.jpg", image_bytes()[:200]),
    ],
)
def test_what_is_not_an_image_is_refused(editor_client, name, content):
    response = post_image(editor_client, name, content)
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "文件不是可识别的图片。"}}
    assert not default_storage.exists("uploads") or default_storage.listdir("uploads") == ([], [])


def test_a_decompression_bomb_is_refused(editor_client):
    bomb = png_bomb()
    assert len(bomb) < 2000  # 2.5 gigapixels claimed in a couple of kilobytes
    response = post_image(editor_client, "bomb.png", bomb)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "图片像素过多。"


def test_an_image_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.JCZX_IMAGE_MAX_PIXELS = 1000  # 40×30 = 1200: over, but under twice over
    response = post_image(editor_client, "wide.png", image_bytes("PNG"))
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "图片像素过多（40×30）。"


def test_the_pixel_limit_is_checked_per_image_not_set_for_the_process(editor_client, settings):
    from PIL import Image

    pillow_default = Image.MAX_IMAGE_PIXELS
    settings.JCZX_IMAGE_MAX_PIXELS = 1000
    assert post_image(editor_client, "wide.png", image_bytes("PNG")).status_code == 400
    settings.JCZX_IMAGE_MAX_PIXELS = 2000
    assert post_image(editor_client, "wide.png", image_bytes("PNG")).status_code == 200
    # Other code in the process (renditions, Pillow in any library) keeps Pillow's guard.
    assert pillow_default == Image.MAX_IMAGE_PIXELS


def test_an_image_over_the_size_limit_is_refused(editor_client, settings):
    content = image_bytes("PNG", size=(300, 300))
    settings.JCZX_IMAGE_MAX_BYTES = len(content) - 1
    response = post_image(editor_client, "big.png", content)
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("图片太大")


def test_no_file_is_a_clear_400(editor_client):
    response = editor_client.post(URL, {})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "没有收到文件。"}}


def test_anonymous_upload_is_forbidden(client):
    response = post_image(client, "a.jpg", image_bytes())
    assert response.status_code == 403
    assert response.json() == {"error": {"message": "没有上传权限。"}}


def test_signed_in_reader_who_is_not_staff_is_forbidden(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", "", "pw"))
    response = post_image(client, "a.jpg", image_bytes())
    assert response.status_code == 403


def test_get_is_not_allowed(editor_client):
    assert editor_client.get(URL).status_code == 405


def test_csrf_token_is_required(editor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    refused = browser.post(URL, {"upload": upload("a.jpg", image_bytes())})
    assert refused.status_code == 403

    # With the token from the CSRF cookie, as CKEditor 5 sends it.
    browser.get(reverse("admin:index"))
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        URL, {"upload": upload("a.jpg", image_bytes())}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


# --- Serving media -----------------------------------------------------------------------


def put_media(name, content: bytes):
    from django.core.files.base import ContentFile

    return default_storage.save(name, ContentFile(content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("uploads/page.html", b"<html><script>alert(1)</script></html>"),
        ("uploads/drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("uploads/script.js", b"alert(1)"),
        ("uploads/noext", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_media_that_could_render_as_a_page_is_an_opaque_download(editor_client, name, content):
    # Files under uploads/ in no article reach only staff (articles.media).
    put_media(name, content)
    response = editor_client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"


def test_images_are_served_inline_in_a_sandbox(editor_client):
    put_media("uploads/a.png", image_bytes("PNG"))
    response = editor_client.get("/media/uploads/a.png")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].endswith("sandbox")


def test_pdfs_are_served_inline_as_pdf(client):
    from tests.factories import IssueFactory

    put_media("pdf/2020/a.pdf", b"%PDF-1.4\n%%EOF\n")
    IssueFactory(pdf="pdf/2020/a.pdf")  # published and public: anyone may have its PDF
    response = client.get("/media/pdf/2020/a.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize("path", ["/media/../jczx/settings.py", "/media/%2e%2e/manage.py"])
def test_media_never_serves_files_outside_media_root(client, path):
    assert client.get(path).status_code in (400, 404)
