"""The office's three roles as permission groups: 编辑, 主编, 档案员.

A data migration, so every database (production, a fresh `make run`, the test database)
has the same groups. Running it again only adds what is missing: permissions an
administrator added by hand are kept. Staff accounts still need "职员状态" (is_staff)
to sign in to the admin.
"""

from django.db import migrations

CONTENT = {
    "issues": ["issue", "mastheadentry"],
    "articles": ["article", "column", "authorship", "highlight", "newsitem"],
    "members": ["person"],
}
# Parts an editor edits inline on an issue or article page, deleting rows included.
PARTS = {"issues": ["mastheadentry"], "articles": ["authorship", "highlight", "newsitem"]}
RECORDS = {
    "issues": ["issueevent", "historicalissue"],
    "articles": ["articleevent", "historicalarticle"],
}


def codenames(models, actions):
    return [(app, f"{action}_{model}") for app, names in models.items() for model in names for action in actions]


GROUPS = {
    # Prepare issues and articles, submit them for review; no publish, no withdraw, no
    # deleting whole issues, articles, people or columns.
    "编辑": codenames(CONTENT, ["add", "change", "view"])
    + codenames(PARTS, ["delete"])
    + codenames(RECORDS, ["view"]),
    # Everything on content, publish and withdraw.
    "主编": codenames(CONTENT, ["add", "change", "delete", "view"])
    + codenames(RECORDS, ["view"])
    + [("issues", "publish_issue"), ("articles", "publish_article")],
    # Load and export back issues; read everything.
    "档案员": codenames(CONTENT, ["view"])
    + codenames(RECORDS, ["view"])
    + [("issues", "import_issue"), ("issues", "export_issue")],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations (post_migrate); create them
    # now so that a fresh database gets complete groups in the same `migrate`.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("issues", "0002_issue_workflow_events"),
        ("articles", "0003_article_workflow_events"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
