"""Who may have a page image: whoever may read the issue's PDF (edition.media), and the
reader's pages follow the issue's visibility."""

import datetime

import pytest
from django.utils import timezone

from edition.models import Page
from tests.edition.conftest import attach_pdf, run_queued_tasks
from tests.pdfs import magazine_pdf
from workflow.models import Status, Visibility

pytestmark = pytest.mark.django_db

PAGES = "/issues/2020/4/pages/"


@pytest.fixture
def reader(django_user_model):
    """A signed-in reader with no staff rights (内部资料 is for them)."""
    return django_user_model.objects.create_user("duzhe", password="pw-for-tests-only")


def images(issue) -> list[str]:
    page = Page.objects.get(issue=issue, number=7)
    return [page.image.url, page.thumbnail.url]


def fetch(client, url):
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def test_a_public_issues_pages_are_public_and_cacheable(client, rendered_issue):
    for url in images(rendered_issue):
        response = fetch(client, url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "public, max-age=86400"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_an_internal_issues_pages_only_for_signed_in_readers(client, reader, rendered_issue):
    rendered_issue.visibility = Visibility.INTERNAL
    rendered_issue.save()
    urls = images(rendered_issue)
    assert client.get(PAGES).status_code == 404
    assert client.get(PAGES + "7/").status_code == 404
    assert [fetch(client, url).status_code for url in urls] == [404, 404]

    client.force_login(reader)
    assert client.get(PAGES + "7/").status_code == 200
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert "Cookie" in response["Vary"]


@pytest.mark.parametrize(
    "change",
    [
        {"status": Status.DRAFT},
        {"status": Status.WITHDRAWN},
        {"published_at": timezone.now() + datetime.timedelta(days=3)},  # 定时发布, ahead
    ],
)
def test_an_unpublished_issues_pages_only_for_staff(client, reader, editor, rendered_issue, change):
    for field, value in change.items():
        setattr(rendered_issue, field, value)
    rendered_issue.save()
    urls = images(rendered_issue)
    for user in (None, reader):
        if user:
            client.force_login(user)
        assert client.get(PAGES + "7/").status_code == 404
        assert [fetch(client, url).status_code for url in urls] == [404, 404]

    client.force_login(editor)  # may open the issue in the admin, and preview it
    assert client.get(f"/preview/issues/{rendered_issue.pk}/pages/7/").status_code == 200
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_the_images_of_replaced_pages_are_gone(client, rendered_issue):
    old = images(rendered_issue)
    attach_pdf(rendered_issue, magazine_pdf(9, 3), name="new.pdf")
    run_queued_tasks()
    assert [fetch(client, url).status_code for url in old] == [404, 404]
    assert [fetch(client, url).status_code for url in images(rendered_issue)] == [200, 200]


def test_a_name_under_the_pages_folder_that_no_page_holds_is_404(client, rendered_issue):
    assert client.get("/media/edition/2020/0123456789abcdef/p007.webp").status_code == 404
