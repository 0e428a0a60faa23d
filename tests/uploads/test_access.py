"""An issue's cover, PDF and cover renditions reach only readers who may read the issue
(uploads.files.serve_media): anyone else gets the 404 of a file that does not exist."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from issues.models import Visibility
from tests.factories import IssueFactory
from tests.images import image_bytes, minimal_pdf, upload
from uploads import renditions
from workflow.models import Status

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=86400"
PRIVATE = "private, no-store"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()  # renditions remember what they made; each test has its own MEDIA_ROOT


def issue_with_files(**fields):
    issue = IssueFactory(**fields)
    issue.cover.save("cover.jpg", ContentFile(image_bytes(size=(70, 98))), save=False)
    issue.pdf.save("print.pdf", ContentFile(minimal_pdf()), save=False)
    issue.save()
    return issue


def internal_issue():
    return issue_with_files(visibility=Visibility.INTERNAL)


def thumb_url(issue) -> str:
    return renditions.get_rendition(issue.cover, "thumb").url


@pytest.fixture
def reader(db, django_user_model):
    """A signed-in reader who is not staff."""
    return django_user_model.objects.create_user("duzhe", password="pw-for-tests-only")


def as_user(client, user):
    client.force_login(user)
    return client


def assert_private(response):
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    assert "Cookie" in response["Vary"]


def assert_public(response):
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    assert "Cookie" not in response.get("Vary", "")


# --- Internal (内部资料) issues ---------------------------------------------------------


def test_an_internal_issues_pdf_is_hidden_from_anonymous_readers(client):
    issue = internal_issue()
    assert client.get(issue.pdf.url).status_code == 404


def test_an_internal_issues_pdf_reaches_a_signed_in_editor_privately(client, staff_editor):
    issue = internal_issue()
    response = as_user(client, staff_editor).get(issue.pdf.url)
    assert_private(response)
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == minimal_pdf()
    # The safety headers are those of any PDF.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")


def test_an_internal_issues_pdf_reaches_a_signed_in_reader(client, reader):
    # Signed-in readers may read internal issues on the site (Issue.objects.visible_to).
    assert_private(as_user(client, reader).get(internal_issue().pdf.url))


def test_an_internal_issues_cover_and_its_renditions_are_hidden_the_same_way(client, staff_editor):
    issue = internal_issue()
    urls = [issue.cover.url, thumb_url(issue), renditions.get_rendition(issue.cover, "medium").url]
    assert all(re.match(r"^/media/renditions/", url) for url in urls[1:])
    for url in urls:
        assert client.get(url).status_code == 404, url
    as_user(client, staff_editor)
    for url in urls:
        response = client.get(url)
        assert_private(response)
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Security-Policy"].endswith("sandbox")


def test_an_issue_made_internal_no_longer_serves_its_files_to_anonymous_readers(client):
    issue = issue_with_files()
    assert_public(client.get(issue.pdf.url))
    issue.visibility = Visibility.INTERNAL
    issue.save()
    assert client.get(issue.pdf.url).status_code == 404


# --- Public, draft, withdrawn, scheduled ------------------------------------------------


def test_a_public_published_issues_files_are_public_to_everyone(client, staff_editor):
    issue = issue_with_files()
    for url in (issue.pdf.url, issue.cover.url, thumb_url(issue)):
        assert_public(client.get(url))
    as_user(client, staff_editor)
    for url in (issue.pdf.url, issue.cover.url, thumb_url(issue)):
        assert_public(client.get(url))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.WITHDRAWN])
def test_unpublished_issues_files_are_hidden_from_anonymous_readers(client, status):
    issue = issue_with_files(status=status)
    for url in (issue.pdf.url, issue.cover.url, thumb_url(issue)):
        assert client.get(url).status_code == 404, url


def test_a_scheduled_issues_files_wait_for_its_publication(client, clock):
    now = timezone.now()
    issue = issue_with_files(published_at=now + datetime.timedelta(hours=1))
    assert client.get(issue.pdf.url).status_code == 404
    clock.set(now + datetime.timedelta(hours=2))
    assert_public(client.get(issue.pdf.url))


def test_a_drafts_files_reach_staff_who_prepare_it_not_other_signed_in_readers(
    client, staff_editor, archivist, reader
):
    issue = issue_with_files(status=Status.DRAFT, visibility=Visibility.INTERNAL)
    for user in (staff_editor, archivist):
        as_user(client, user)
        for url in (issue.pdf.url, issue.cover.url, thumb_url(issue)):
            assert_private(client.get(url))
    as_user(client, reader)
    for url in (issue.pdf.url, issue.cover.url, thumb_url(issue)):
        assert client.get(url).status_code == 404, url


def test_the_preview_of_a_draft_shows_its_cover(client, staff_editor):
    issue = issue_with_files(status=Status.DRAFT)
    page = as_user(client, staff_editor).get(f"/preview/issues/{issue.pk}/").content.decode()
    cover = re.search(r'<img src="(/media/renditions/medium-[^"]+)"', page)
    assert cover, page
    assert_private(client.get(cover.group(1)))
    assert issue.pdf.url in page
    assert_private(client.get(issue.pdf.url))


# --- What a refusal looks like ----------------------------------------------------------


def test_a_hidden_file_gets_the_answer_of_a_missing_one(client):
    issue = internal_issue()
    hidden = client.get(issue.pdf.url)
    missing = client.get("/media/pdf/2026/" + "0" * 32 + ".pdf")
    assert hidden.status_code == missing.status_code == 404
    assert sorted(hidden.headers) == sorted(missing.headers)
    assert hidden["Vary"] == missing["Vary"] == "Accept-Language"


@pytest.mark.parametrize(
    "spelling",
    [
        lambda name: name.replace("/", "/./", 1),
        lambda name: name.replace("/", "//", 1),
        lambda name: "/" + name,
        lambda name: "pdf/../" + name,
    ],
)
def test_other_spellings_of_a_hidden_files_name_are_hidden_too(client, spelling):
    name = internal_issue().pdf.name
    assert client.get(f"/media/{spelling(name)}").status_code == 404


def test_unknown_files_are_404(client):
    assert client.get("/media/covers/2026/nothing.jpg").status_code == 404
    assert client.get("/media/renditions/thumb-320x448/covers/2026/nothing.jpg").status_code == 404


@pytest.mark.parametrize("path", ["/media/../jczx/settings.py", "/media/%2e%2e/manage.py"])
def test_traversal_is_still_refused(client, path):
    internal_issue()
    assert client.get(path).status_code in (400, 404)


# --- Files of no issue -----------------------------------------------------------------


def test_images_for_articles_are_left_to_the_articles_guard(editor_client):
    """An image uploaded for an article's text is not an issue's file: the articles
    app's guard answers for it (tests/articles/test_media.py), here before any article
    shows it: the editor who uploaded it sees it, anonymous readers do not."""
    answer = editor_client.post("/admin/upload/image/", {"upload": upload("a.png", image_bytes())})
    url = answer.json()["url"]
    assert_private(editor_client.get(url))
    body = renditions.get_rendition(renditions.StoredFile(url.removeprefix("/media/")), "body")
    assert_private(editor_client.get(body.url))
    editor_client.logout()
    assert editor_client.get(url).status_code == 404
    assert editor_client.get(body.url).status_code == 404


def test_a_cover_owns_its_own_renditions_only(client):
    """A rendition's name drops the original's extension: the cover ``scan.v2.jpg`` of an
    internal issue does not make the rendition of another file, ``scan.png``, internal."""
    issue = internal_issue()
    default_storage.save("covers/2026/scan.v2.jpg", ContentFile(image_bytes()))
    type(issue).objects.filter(pk=issue.pk).update(cover="covers/2026/scan.v2.jpg")
    issue.refresh_from_db()
    other = default_storage.save("covers/2026/scan.png", ContentFile(image_bytes("PNG")))
    IssueFactory(cover=other)  # the cover of a published, public issue
    others = renditions.get_rendition(renditions.StoredFile(other), "thumb").url
    assert others == "/media/renditions/thumb-320x448/covers/2026/scan.jpg"
    assert_public(client.get(others))
    assert client.get(thumb_url(issue)).status_code == 404


# --- Cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("issues", [3, 30])
def test_a_media_request_costs_one_query_whatever_the_number_of_issues(
    client, django_assert_num_queries, issues
):
    for _ in range(issues - 2):
        IssueFactory()
    public = issue_with_files()
    internal = internal_issue()
    for url in (public.pdf.url, public.cover.url, thumb_url(public)):
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
    # Refused: that query, then those of the 404 page (its navigation), as for a file
    # that does not exist.
    with CaptureQueriesContext(connection) as missing:
        assert client.get("/media/pdf/2026/" + "0" * 32 + ".pdf").status_code == 404
    assert len(missing) <= 3
    for url in (internal.pdf.url, thumb_url(internal)):
        with django_assert_num_queries(len(missing)):
            assert client.get(url).status_code == 404


@pytest.mark.parametrize("issues", [3, 30])
def test_a_signed_in_editors_media_request_costs_the_same_whatever_the_number_of_issues(
    client, staff_editor, django_assert_num_queries, issues
):
    for _ in range(issues - 2):
        IssueFactory()
    internal = internal_issue()
    draft = issue_with_files(status=Status.DRAFT)
    as_user(client, staff_editor)
    # Session and user; the issue; who may read it (visible_to); for a draft, the
    # editor's permissions (user's and group's).
    with django_assert_num_queries(4):
        assert client.get(internal.pdf.url).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(draft.pdf.url).status_code == 200


def test_a_replaced_cover_or_pdf_is_served_to_nobody(client, staff_editor):
    """Replacing an internal issue's PDF leaves the old file on disk, linked from
    nowhere: it is refused like a missing file, to everyone, with its old renditions."""
    issue = internal_issue()
    old_pdf, old_cover = issue.pdf.url, issue.cover.url
    old_thumb = thumb_url(issue)
    issue.pdf.save("print-v2.pdf", ContentFile(minimal_pdf()), save=False)
    issue.cover.save("cover-v2.jpg", ContentFile(image_bytes(size=(70, 98))), save=False)
    issue.save()
    for url in (old_pdf, old_cover, old_thumb):
        assert client.get(url).status_code == 404, url
    editor = as_user(client, staff_editor)
    for url in (old_pdf, old_cover, old_thumb):
        assert editor.get(url).status_code == 404, url
    assert_private(editor.get(issue.pdf.url))
