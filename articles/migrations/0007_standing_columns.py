"""The magazine's six standing 栏目, with their 网址名, on every database.

The quick start's ``bootstrap`` loads fixtures/columns.json; a production site migrated
without it had no columns, and its first import invented placeholder 网址名. Running
this again, or on a site that already has these columns, adds only what is missing: a
column whose name or 网址名 is already there is left as the editors made it (an editor
may have renamed 高层声音 or changed its 网址名). Nothing is removed on reversal: by then
articles may point at the columns.
"""

from django.db import migrations
from django.db.models import Q

# A copy of fixtures/columns.json as it stood when this was written (a migration must not
# change with a file that may be edited later).
STANDING = [
    ("高层声音", "gaocengshengyin", "党和国家领导人的重要讲话与活动。"),
    ("学习论坛", "xuexiluntan", "理论学习与研究文章。"),
    ("本期关注", "benqiguanzhu", "本期重点关注的会议与事件。"),
    ("会议专题", "huiyizhuanti", "重要会议的讲话、文件与发言摘编。"),
    ("社情民意", "sheqingminyi", "委员反映的社情民意与建议。"),
    ("工作动态", "gongzuodongtai", "市政协的日常工作动态。"),
]


def add_standing_columns(apps, schema_editor):
    Column = apps.get_model("articles", "Column")
    db = schema_editor.connection.alias
    for position, (name, slug, description) in enumerate(STANDING, start=1):
        if Column.objects.using(db).filter(Q(name=name) | Q(slug=slug)).exists():
            continue
        Column.objects.using(db).create(
            name=name, slug=slug, description=description, position=position
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_column_slug_from_pinyin"),
    ]

    operations = [
        migrations.RunPython(add_standing_columns, migrations.RunPython.noop, elidable=False),
    ]
