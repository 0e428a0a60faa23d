"""An article's text as pages show it is made when the article is written and stored
(articles.rendered): a reader sees a changed text at once, whichever path wrote it, and
images in it as their renditions."""

import secrets
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from articles import rendered
from articles.models import Article
from tests.factories import ArticleFactory, IssueFactory
from tests.images import image_bytes
from uploads.renditions import markup_scheme
from workflow.revisions import apply

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # renditions remember what they made; each test has its own MEDIA_ROOT


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def stored_in_step(article) -> bool:
    """The row's stored copy is the one pages use (no work per request)."""
    row = Article.objects.get(pk=article.pk)
    return row.rendered_key == rendered.digest(row, markup_scheme())


def uploaded_image(size=(1600, 900)) -> str:
    name = default_storage.save(
        f"uploads/{secrets.token_hex(16)}.jpg", ContentFile(image_bytes(size=size))
    )
    return default_storage.url(name)


def test_an_image_in_the_body_shows_as_its_rendition_with_its_size(client):
    url = uploaded_image()
    article = ArticleFactory(body=f'<p>会场。</p><p><img src="{url}" alt="会场"></p>')
    stem = url.removeprefix("/media/").rsplit(".", 1)[0]
    expected = (
        f'<img src="/media/renditions/body-1280x1280/{stem}.jpg" width="1280" height="720"'
        ' loading="lazy" alt="会场">'
    )
    assert expected in page(client, article)
    assert url not in page(client, article)  # never the 1600-pixel original
    assert stored_in_step(article)
    assert Article.objects.get(pk=article.pk).rendered_body.count(expected) == 1


def test_an_image_in_the_editors_note_shows_as_its_rendition(client):
    url = uploaded_image(size=(300, 200))
    article = ArticleFactory(editors_note=f'<p><img src="{url}"></p>', body="<p>正文。</p>")
    stem = url.removeprefix("/media/").rsplit(".", 1)[0]
    assert (
        f'<img src="/media/renditions/body-1280x1280/{stem}.jpg" width="300" height="200"'
        ' loading="lazy">'
    ) in page(client, article)


def test_an_image_whose_rendition_cannot_be_made_is_not_kept(client):
    # Not an image Pillow reads: the tag stays as written, and nothing is stored, so the
    # page tries again (the rendition may be made later).
    name = default_storage.save("uploads/broken.jpg", ContentFile(b"not a jpeg"))
    article = ArticleFactory(body=f'<p><img src="/media/{name}"></p>')
    assert f'<img src="/media/{name}">' in page(client, article)
    assert Article.objects.get(pk=article.pk).rendered_key == ""


WRITE_PATHS = {
    "save": lambda a, body: (setattr(a, "body", body), a.save()),
    "save, update_fields": lambda a, body: (
        setattr(a, "body", body),
        a.save(update_fields=["body"]),
    ),
    "update()": lambda a, body: Article.objects.filter(pk=a.pk).update(body=body),
    "bulk_update()": lambda a, body: (
        setattr(a, "body", body),
        Article.objects.bulk_update([a], ["body"]),
    ),
}


@pytest.mark.parametrize("path", WRITE_PATHS)
def test_a_changed_body_shows_at_once_whichever_path_wrote_it(client, path):
    article = ArticleFactory(title="题目", body="<p>旧的第一句。旧的第二句。</p>")
    assert "旧的第一句。" in page(client, article)
    WRITE_PATHS[path](article, "<p>新的正文第一句。</p>")
    html = page(client, article)
    assert "新的正文第一句。" in html and "旧的第一句" not in html
    # The teaser (meta description) follows too.
    assert '<meta name="description" content="新的正文第一句。">' in html
    assert stored_in_step(article)


def test_a_bulk_created_article_is_stored_rendered(client):
    issue = IssueFactory()
    model = ArticleFactory.build(issue=issue, body="<p>批量导入的正文。</p>")
    model.column.save()
    model.column_id = model.column.pk
    [created] = Article.objects.bulk_create([model])
    assert stored_in_step(created)
    assert Article.objects.get(pk=created.pk).rendered_summary == "批量导入的正文。"


def test_text_written_behind_the_models_back_still_shows_at_once(client):
    # Raw SQL skips every hook: the stored copy no longer matches the text, so the page
    # makes it afresh rather than show the old one.
    article = ArticleFactory(body="<p>旧文。</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET body = %s WHERE id = %s", ["<p>直接写入。</p>", article.pk]
        )
    html = page(client, article)
    assert "直接写入。" in html and "旧文。" not in html


def test_a_revision_laid_over_in_memory_shows_its_own_text():
    # What the admin's preview of a 修改稿 does: the fields applied, nothing saved.
    article = ArticleFactory(body="<p>已发布的文字。</p>", abstract="")
    data = {"fields": {"body": "<p>修改稿的文字。</p>"}, "relations": {}}
    apply(article, data)
    assert article.body_markup == "<p>修改稿的文字。</p>"
    assert article.summary == "修改稿的文字。"


def test_a_column_list_shows_the_new_teaser_at_once(client):
    article = ArticleFactory(body="<p>原来的开头。</p>", abstract="")
    assert "原来的开头。" in client.get(article.column.get_absolute_url()).content.decode()
    Article.objects.filter(pk=article.pk).update(abstract="编辑写的摘要。")
    html = client.get(article.column.get_absolute_url()).content.decode()
    assert "编辑写的摘要。" in html and "原来的开头。" not in html


@pytest.mark.parametrize(
    "fields",
    [
        {"abstract": "摘要在先。", "body": "<p>正文。</p>"},
        {"abstract": "", "body": "<p>一句。" + "很长的句子" * 40 + "。</p>"},
        {"abstract": "", "body": "", "editors_note": "<p>只有编者按。</p>"},
        {"abstract": "", "body": "", "editors_note": "", "subtitle": "只有副标题"},
        {"abstract": "", "body": "<p>&nbsp;</p>", "editors_note": "", "subtitle": ""},
        {"abstract": " 多余 空白\n的摘要 ", "body": "<p>正文。</p>"},
    ],
)
def test_the_stored_teaser_is_the_one_made_from_the_text(fields):
    article = ArticleFactory(title="题目", **fields)
    row = Article.objects.get(pk=article.pk)
    assert stored_in_step(row)
    fresh = rendered.make(row)[0]["rendered_summary"]
    assert row.rendered_summary == fresh == row.summary


@pytest.mark.django_db(transaction=True)
def test_migrate_stores_the_rendered_text_of_existing_articles_after_0011():
    article = ArticleFactory(body="<p>迁移之前的正文。</p>", abstract="")
    call_command("migrate", "articles", "0010", verbosity=0)
    out = StringIO()
    call_command("migrate", "articles", verbosity=1, stdout=out)

    assert "已生成 1 篇文章的显示用文本。" in out.getvalue()
    row = Article.objects.get(pk=article.pk)
    assert stored_in_step(row)
    assert row.rendered_summary == "迁移之前的正文。"
    assert row.rendered_body == "<p>迁移之前的正文。</p>"
