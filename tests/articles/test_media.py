"""Images in articles' text (and their renditions) reach whoever may read an article
showing them (articles.media): public only when an article anonymous readers see shows
them, private to signed-in readers of an internal issue and to staff editing articles,
and the 404 of a missing file to anyone else."""

import datetime
import secrets

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from articles.models import Article, ArticleImage
from issues.models import Visibility
from tests.factories import ArticleFactory, IssueFactory
from tests.images import image_bytes, upload
from uploads import renditions
from workflow.models import Status

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=86400"
PRIVATE = "private, no-store"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # renditions remember what they made; each test has its own MEDIA_ROOT


@pytest.fixture
def reader(db, django_user_model):
    """A signed-in reader who is not staff."""
    return django_user_model.objects.create_user("duzhe", password="pw-for-tests-only")


def uploaded_image() -> str:
    """An image as the CKEditor upload stores it; its URL."""
    name = default_storage.save(
        f"uploads/{secrets.token_hex(16)}.jpg", ContentFile(image_bytes(size=(60, 40)))
    )
    return default_storage.url(name)


def with_image(url, **fields):
    return ArticleFactory(body=f'<p>会场。</p><p><img src="{url}" alt="会场"></p>', **fields)


def body_rendition(url) -> str:
    name = url.removeprefix("/media/")
    return renditions.get_rendition(renditions.StoredFile(name), "body").url


def answer(client, url, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def assert_public(response):
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    assert "Cookie" not in response.get("Vary", "")


def assert_private(response):
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE
    assert "Cookie" in response["Vary"]


def test_an_image_in_a_public_article_is_public_with_its_rendition(client):
    url = uploaded_image()
    with_image(url)
    assert_public(answer(client, url))
    assert_public(answer(client, body_rendition(url)))


def test_an_image_in_a_draft_reaches_only_staff_editing_articles(
    client, staff_editor, chief_editor, reader
):
    url = uploaded_image()
    with_image(url, status=Status.DRAFT)
    rendition = body_rendition(url)  # as the preview makes it
    for target in (url, rendition):
        assert answer(client, target).status_code == 404
        assert answer(client, target, reader).status_code == 404
        assert_private(answer(client, target, staff_editor))
        assert_private(answer(client, target, chief_editor))


def test_an_image_in_an_article_of_an_unpublished_issue_is_hidden(client, reader):
    url = uploaded_image()
    with_image(url, issue=IssueFactory(status=Status.DRAFT))
    assert answer(client, url).status_code == 404
    assert answer(client, url, reader).status_code == 404


def test_an_image_in_a_scheduled_article_waits_for_its_publication(client, staff_editor, clock):
    now = timezone.now()
    url = uploaded_image()
    with_image(url, published_at=now + datetime.timedelta(hours=1))
    assert answer(client, url).status_code == 404
    assert_private(answer(client, url, staff_editor))
    clock.set(now + datetime.timedelta(hours=2))
    assert_public(answer(client, url))


def test_an_image_in_an_internal_issue_reaches_signed_in_readers_privately(
    client, reader, staff_editor
):
    url = uploaded_image()
    with_image(url, issue=IssueFactory(visibility=Visibility.INTERNAL))
    rendition = body_rendition(url)
    for target in (url, rendition):
        assert answer(client, target).status_code == 404
        assert_private(answer(client, target, reader))
        assert_private(answer(client, target, staff_editor))


def test_an_upload_not_yet_in_any_article_reaches_only_staff_editing(client, staff_editor, reader):
    client.force_login(staff_editor)
    url = client.post("/admin/upload/image/", {"upload": upload("a.png", image_bytes())}).json()[
        "url"
    ]
    assert_private(client.get(url))  # the editor sees it in CKEditor before saving
    assert answer(client, url).status_code == 404
    assert answer(client, url, reader).status_code == 404


def test_an_image_shared_by_a_public_and_a_draft_article_is_public(client):
    url = uploaded_image()
    with_image(url, status=Status.DRAFT)
    public = with_image(url)
    assert_public(answer(client, url))
    assert_public(answer(client, body_rendition(url)))

    # The public article drops the image: only the draft shows it now.
    public.body = "<p>会场。</p>"
    public.save()
    assert answer(client, url).status_code == 404
    assert answer(client, body_rendition(url)).status_code == 404


def test_an_image_added_to_a_published_article_by_an_edit_becomes_public(client):
    url = uploaded_image()
    article = ArticleFactory()
    assert answer(client, url).status_code == 404
    article.editors_note = f'<p><img src="{url}"></p>'
    article.save()
    assert_public(answer(client, url))


def test_the_bulk_paths_keep_the_record_current(client):
    url, other = uploaded_image(), uploaded_image()
    article = with_image(url)
    Article.objects.filter(pk=article.pk).update(body=f'<p><img src="{other}"></p>')
    assert list(ArticleImage.objects.values_list("name", flat=True)) == [
        other.removeprefix("/media/")
    ]
    assert answer(client, url).status_code == 404
    assert_public(answer(client, other))


def test_a_withdrawn_articles_image_is_hidden_again(client):
    url = uploaded_image()
    article = with_image(url)
    assert_public(answer(client, url))
    Article.objects.filter(pk=article.pk).update(status=Status.WITHDRAWN)
    assert answer(client, url).status_code == 404


def test_a_hidden_image_gets_the_answer_of_a_missing_one(client):
    url = uploaded_image()
    with_image(url, status=Status.DRAFT)
    hidden = client.get(url)
    missing = client.get("/media/uploads/" + "0" * 32 + ".jpg")
    assert hidden.status_code == missing.status_code == 404
    assert sorted(hidden.headers) == sorted(missing.headers)


def test_a_public_image_costs_one_query(client, django_assert_num_queries):
    url = uploaded_image()
    for _ in range(5):
        with_image(url, status=Status.DRAFT)
    with_image(url)
    with django_assert_num_queries(1):
        assert_public(client.get(url))
