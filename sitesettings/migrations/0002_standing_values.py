"""The standing 站点设置: what 《晋城政协》 prints in its masthead (2020年第4期). The
备案 numbers and the 网站标识码 are left empty: only the office knows them, and a made-up
number on a government site would be worse than none. Running it again leaves a row the
administrator has already edited alone."""

from django.db import migrations

STANDING = {
    "site_name": "晋城政协网",
    "host": "政协晋城市委员会",
    "organizer": "《晋城政协》编辑部",
    "address": "山西省晋城市凤台西街289号",
    "postcode": "048000",
    "phone": "(0356)2198273",
    "email": "jczxbjb@126.com",
}


def add_standing(apps, schema_editor):
    SiteSettings = apps.get_model("sitesettings", "SiteSettings")
    SiteSettings.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults=STANDING
    )


class Migration(migrations.Migration):
    dependencies = [("sitesettings", "0001_initial")]

    operations = [migrations.RunPython(add_standing, migrations.RunPython.noop)]
