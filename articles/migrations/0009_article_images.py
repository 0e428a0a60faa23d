"""Which uploaded images each article shows (``ArticleImage``), so that /media/ serves
an image under the rule of the articles showing it (issue #17). Filled here from the
articles already written; kept current by ``articles.media`` from then on."""

import html
import re

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# A copy of uploads.renditions' reading of <img> tags as it stood when this was written
# (a migration must not change with code that may be edited later).
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r'\ssrc="([^"]*)"')


def _uploaded_names(text):
    for tag in _IMG.findall(text or ""):
        src = _SRC.search(tag)
        if src is None:
            continue
        url = html.unescape(src.group(1))
        media = settings.MEDIA_URL
        if url.startswith(media) and not url.startswith(media + "renditions/"):
            yield url[len(media) :]


def record_images(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleImage = apps.get_model("articles", "ArticleImage")
    texts = Article.objects.filter(
        models.Q(editors_note__contains="<img") | models.Q(body__contains="<img")
    ).values_list("pk", "editors_note", "body")
    rows = {
        (pk, name)
        for pk, note, body in texts
        for text in (note, body)
        for name in _uploaded_names(text)
        if len(name) <= 255
    }
    ArticleImage.objects.bulk_create(
        [ArticleImage(article_id=pk, name=name) for pk, name in sorted(rows)]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_history_of_columns_highlights_news_items"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(db_index=True, max_length=255, verbose_name="文件")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="images",
                        to="articles.article",
                        verbose_name="文章",
                    ),
                ),
            ],
            options={
                "verbose_name": "文章图片",
                "verbose_name_plural": "文章图片",
                "ordering": ["article", "name"],
                "constraints": [
                    models.UniqueConstraint(fields=("article", "name"), name="article_image_unique")
                ],
            },
        ),
        migrations.RunPython(record_images, migrations.RunPython.noop),
    ]
