"""Articles store their text as pages show it (articles.rendered).

Migrations see historical models only and import no live code: this one adds the
columns and declares ``renders_article_text``; when ``migrate`` has applied it,
``articles.rendered.render_after_migrate`` (a post_migrate handler, running the current
code against the current schema) fills them for every article. Until then, and for any
row it could not fill, pages make the text per request: never stale, only slower.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_article_abstract'),
    ]

    renders_article_text = True

    operations = [
        migrations.AddField(
            model_name='article',
            name='rendered_body',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='正文（显示用）'),
        ),
        migrations.AddField(
            model_name='article',
            name='rendered_editors_note',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='编者按（显示用）'),
        ),
        migrations.AddField(
            model_name='article',
            name='rendered_key',
            field=models.CharField(blank=True, default='', editable=False, max_length=32, verbose_name='显示用文本的依据'),
        ),
        migrations.AddField(
            model_name='article',
            name='rendered_summary',
            field=models.TextField(blank=True, default='', editable=False, verbose_name='提要（显示用）'),
        ),
    ]
