"""An issue's cover (封面) and PDF (印刷版PDF) uploaded in the admin: judged by their
content, size-limited, stored under random names, the cover stripped of metadata."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL.ExifTags import IFD

from issues.models import Issue
from tests.factories import IssueFactory
from tests.forms import form_data
from tests.images import image_bytes, jpeg_with_gps, minimal_pdf, read_image, upload
from tests.review import sign_all
from workflow.models import Status
from workflow.revisions import pending, publish, submit

pytestmark = pytest.mark.django_db

COVER = re.compile(r"^covers/\d{4}/[0-9a-f]{32}\.(jpg|png)$")
PDF = re.compile(r"^pdf/\d{4}/[0-9a-f]{32}\.pdf$")


@pytest.fixture
def issue():
    # A draft: the admin writes its files onto the row (a live issue gets a 修改稿).
    return IssueFactory(
        year=2020, number=4, total_number=43, status=Status.DRAFT, published_at=None
    )


def save_in_admin(client, issue, **files):
    """Post the issue's admin change form as the browser shows it, plus ``files``."""
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = form_data(client.get(url).content.decode(), "issue_form")
    data.update(files)
    return client.post(url, data)


def form_errors(response) -> list[str]:
    return [e for errors in response.context["adminform"].form.errors.values() for e in errors]


def test_cover_loses_its_gps_data_and_its_name(editor_client, issue):
    response = save_in_admin(
        editor_client, issue, cover=upload("封面-IMG_0001.jpg", jpeg_with_gps())
    )
    assert response.status_code == 302, form_errors(response)
    issue.refresh_from_db()
    assert COVER.match(issue.cover.name), issue.cover.name
    stored = read_image(issue.cover.read())
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(IFD.GPSInfo) == {}


def test_a_png_cover_named_jpg_is_kept_as_png(editor_client, issue):
    response = save_in_admin(editor_client, issue, cover=upload("cover.jpg", image_bytes("PNG")))
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.cover.name.endswith(".png")


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script></html>", b"%PDF-1.4\n", b""])
def test_a_cover_that_is_not_an_image_is_refused_with_a_message(editor_client, issue, content):
    response = save_in_admin(editor_client, issue, cover=upload("cover.png", content))
    assert response.status_code == 200
    assert any("图片" in e or "文件" in e for e in form_errors(response)), form_errors(response)
    issue.refresh_from_db()
    assert not issue.cover


def test_an_oversized_cover_is_refused(editor_client, issue, settings):
    settings.JCZX_IMAGE_MAX_BYTES = 100
    response = save_in_admin(editor_client, issue, cover=upload("cover.png", image_bytes("PNG")))
    assert response.status_code == 200
    assert form_errors(response) == ["图片太大：最大 0 MB。"]


def test_pdf_is_stored_under_a_random_name(editor_client, issue):
    response = save_in_admin(editor_client, issue, pdf=upload("晋城政协2020-4.pdf", minimal_pdf()))
    assert response.status_code == 302, form_errors(response)
    issue.refresh_from_db()
    assert PDF.match(issue.pdf.name), issue.pdf.name
    assert issue.pdf.read() == minimal_pdf()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("issue.pdf", b"<html><script>alert(1)</script></html>"),
        ("issue.pdf", image_bytes()),
        ("issue.pdf", b" %PDF-1.4 but not at the start"),
    ],
)
def test_a_pdf_is_judged_by_its_magic_bytes(editor_client, issue, name, content):
    response = save_in_admin(editor_client, issue, pdf=upload(name, content))
    assert response.status_code == 200
    assert form_errors(response) == ["文件不是 PDF。"]
    issue.refresh_from_db()
    assert not issue.pdf


def test_an_oversized_pdf_is_refused(editor_client, issue, settings):
    settings.JCZX_PDF_MAX_BYTES = 2 * 1024 * 1024
    big = minimal_pdf() + b"0" * (2 * 1024 * 1024)
    response = save_in_admin(editor_client, issue, pdf=upload("big.pdf", big))
    assert response.status_code == 200
    assert form_errors(response) == ["PDF 文件太大：最大 2 MB。"]


def test_saving_without_a_new_file_keeps_the_stored_ones(editor_client, issue):
    save_in_admin(
        editor_client,
        issue,
        cover=upload("c.jpg", image_bytes()),
        pdf=upload("p.pdf", minimal_pdf()),
    )
    issue.refresh_from_db()
    cover, pdf = issue.cover.name, issue.pdf.name
    response = save_in_admin(editor_client, issue)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.cover.name, issue.pdf.name) == (cover, pdf)


def test_files_set_from_code_are_checked_too(issue):
    """The importer or a shell go through the same checks as the admin."""
    issue.cover = ContentFile(jpeg_with_gps(), name="scan.jpg")
    issue.save()
    assert COVER.match(issue.cover.name)
    assert dict(read_image(issue.cover.read()).getexif()) == {}

    issue.pdf = ContentFile(b"<html></html>", name="fake.pdf")
    with pytest.raises(ValidationError, match="文件不是 PDF"):
        issue.save()
    assert Issue.objects.get(pk=issue.pk).pdf == ""


def test_a_new_cover_of_a_live_issue_waits_in_its_revision(editor_client, editor):
    live = IssueFactory(year=2021, number=1, total_number=44)
    response = save_in_admin(editor_client, live, cover=upload("新封面.jpg", image_bytes()))
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.cover.name == ""  # readers see no new cover yet
    revision = pending(live)
    name = revision.data["fields"]["cover"]
    assert COVER.match(name), name  # checked and stored under a random name already
    submit(revision, by=editor)
    sign_all(revision)
    publish(revision, by=editor)
    live.refresh_from_db()
    assert live.cover.name == name
    assert read_image(live.cover.read()).format == "JPEG"
