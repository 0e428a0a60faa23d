"""Covers and images in articles reach readers as resized renditions, never as the
uploaded original (uploads.renditions)."""

import io
import logging
import re

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from tests.factories import ArticleFactory, IssueFactory
from uploads import renditions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # renditions remember what they made; each test has its own MEDIA_ROOT


def image_bytes(size=(2000, 2800), mode="RGB", fmt="JPEG", color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt)
    return out.getvalue()


def issue_with_cover(content=None, name="scan.jpg", **fields):
    issue = IssueFactory(**fields)
    issue.cover.save(name, ContentFile(content or image_bytes()), save=True)
    return issue


def stored_image(url):
    name = url.removeprefix("/media/")
    with default_storage.open(name) as f, Image.open(f) as image:
        return image.format, image.size


def test_lists_show_a_thumbnail_and_the_issue_page_a_medium_size(client):
    issue = issue_with_cover(year=2018, number=2)
    original = issue.cover.url
    listing = client.get("/issues/").content.decode()
    page = client.get(issue.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()

    thumb = re.search(r'<img src="(/media/renditions/thumb-[^"]+)"[^>]*>', listing)
    assert thumb and 'width="320" height="448"' in thumb.group(0)
    medium = re.search(r'<img src="(/media/renditions/medium-[^"]+)"[^>]*>', page)
    assert medium and 'width="480" height="672"' in medium.group(0)
    assert medium.group(1) in home
    for html in (listing, page, home):
        assert original not in html
    assert stored_image(thumb.group(1)) == ("JPEG", (320, 448))
    assert stored_image(medium.group(1)) == ("JPEG", (480, 672))
    response = client.get(thumb.group(1))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


def test_a_rendition_is_made_once(client, monkeypatch):
    issue = issue_with_cover()
    first = renditions.get_rendition(issue.cover, "thumb")

    def fail(*args):
        raise AssertionError("made again")

    monkeypatch.setattr(renditions, "_make", fail)
    assert renditions.get_rendition(issue.cover, "thumb") == first
    cache.clear()  # another process: finds the file in storage
    assert renditions.get_rendition(issue.cover, "thumb") == first


def test_small_images_are_not_enlarged_and_transparency_becomes_white():
    issue = issue_with_cover(image_bytes((100, 140), "RGBA", "PNG", (0, 0, 0, 0)), "logo.png")
    found = renditions.get_rendition(issue.cover, "thumb")
    assert (found.width, found.height) == (100, 140)
    assert found.url.endswith(".jpg")
    with default_storage.open(found.name) as f, Image.open(f) as image:
        assert image.getpixel((50, 70)) == (255, 255, 255)


def test_a_file_that_is_not_an_image_shows_the_placeholder(client, caplog):
    issue = issue_with_cover(b"%PDF-1.4 not an image", year=2017, number=3)
    with caplog.at_level(logging.WARNING, logger="jczx.renditions"):
        response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "cover-placeholder" in html
    assert issue.cover.url not in html
    assert "no medium rendition of covers/" in caplog.text


def test_images_in_an_article_are_shown_as_renditions(client):
    name = default_storage.save("uploads/photo.jpg", ContentFile(image_bytes((3000, 2000))))
    article = ArticleFactory(
        body=f'<p>调研现场</p><p><img src="/media/{name}" alt="调研现场" width="3000"></p>'
        '<p><img src="https://example.org/a.png" alt="外链"></p>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    img = re.search(r'<img src="(/media/renditions/body-1280x1280/uploads/photo\.jpg)"[^>]*>', html)
    assert img
    assert 'width="1280" height="853"' in img.group(0)
    assert 'alt="调研现场"' in img.group(0)
    assert f'src="/media/{name}"' not in html
    assert 'src="https://example.org/a.png"' in html  # not ours: left alone


def test_make_renditions_command():
    issue_with_cover(year=2016, number=1)
    issue_with_cover(b"not an image", year=2016, number=2)
    name = default_storage.save("uploads/p.jpg", ContentFile(image_bytes((800, 600))))
    ArticleFactory(body=f'<p><img src="/media/{name}" alt=""></p>')
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert out.getvalue().strip() == "缩略图：3 个可用，2 个无法生成（见日志）"


def test_make_renditions_finds_images_that_appear_only_in_the_editors_note():
    name = default_storage.save("uploads/note.jpg", ContentFile(image_bytes((2000, 1000))))
    ArticleFactory(
        editors_note=f'<p><img src="/media/{name}" alt="编者按配图"></p>', body="<p>正文</p>"
    )
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert out.getvalue().strip() == "缩略图：1 个可用"
    assert stored_image("/media/renditions/body-1280x1280/uploads/note.jpg") == (
        "JPEG",
        (1280, 640),
    )


def test_an_original_over_the_pixel_limit_gets_no_rendition(settings, caplog):
    pillow_default = Image.MAX_IMAGE_PIXELS
    name = default_storage.save("uploads/huge.jpg", ContentFile(image_bytes((40, 30))))
    settings.JCZX_IMAGE_MAX_PIXELS = 1000  # 1200 pixels: over, though under twice over
    with caplog.at_level(logging.WARNING, logger="jczx.renditions"):
        found = renditions.get_rendition(renditions.StoredFile(name), "body")
    assert found is None
    assert "no body rendition of uploads/huge.jpg: 图片像素过多（40×30）" in caplog.text
    assert pillow_default == Image.MAX_IMAGE_PIXELS  # set for no one else in the process
