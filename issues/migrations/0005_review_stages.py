"""三审 as data: the group 编辑部主任 and the default review stages — 初审 by 编辑,
复审 by 编辑部主任, 终审 by 主编 (``workflow.ReviewStage``; the office may change them in
the admin).

Here rather than in workflow: the groups' permissions name the content models, which
workflow does not know. Running it again only adds what is missing.
"""

from django.db import migrations

CONTENT = {
    "issues": ["issue", "mastheadentry"],
    "articles": ["article", "column", "authorship", "highlight", "newsitem"],
    "members": ["person"],
}
PARTS = {"issues": ["mastheadentry"], "articles": ["authorship", "highlight", "newsitem"]}
RECORDS = {
    "issues": ["issueevent", "historicalissue"],
    "articles": ["articleevent", "historicalarticle"],
    "workflow": ["signoff", "reviewstage"],
}


def codenames(models, actions):
    return [
        (app, f"{action}_{model}")
        for app, names in models.items()
        for model in names
        for action in actions
    ]


# 编辑部主任: what an 编辑 does, and 复审; publishing stays with the 主编.
DIRECTOR = (
    codenames(CONTENT, ["add", "change", "view"])
    + codenames(PARTS, ["delete"])
    + codenames(RECORDS, ["view"])
)
# The 主编 sets the stages; everyone who reviews sees the sign-offs.
EXTRA = {
    "主编": codenames({"workflow": ["reviewstage"]}, ["add", "change", "delete", "view"])
    + [("workflow", "view_signoff")],
    "编辑": [("workflow", "view_signoff"), ("workflow", "view_reviewstage")],
    "档案员": [("workflow", "view_signoff"), ("workflow", "view_reviewstage")],
}
STAGES = [(10, "初审", "编辑"), (20, "复审", "编辑部主任"), (30, "终审", "主编")]


def create_stages(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ReviewStage = apps.get_model("workflow", "ReviewStage")

    def grant(group, wanted):
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    director, _ = Group.objects.get_or_create(name="编辑部主任")
    grant(director, DIRECTOR)
    for name, wanted in EXTRA.items():
        grant(Group.objects.get_or_create(name=name)[0], wanted)
    if not ReviewStage.objects.exists():
        for order, name, group in STAGES:
            ReviewStage.objects.create(
                order=order, name=name, group=Group.objects.get(name=group)
            )


def remove_stages(apps, schema_editor):
    apps.get_model("workflow", "ReviewStage").objects.filter(
        name__in=[name for _, name, _ in STAGES]
    ).delete()
    apps.get_model("auth", "Group").objects.filter(name="编辑部主任").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0004_cover_and_pdf_checked_random_names"),
        ("workflow", "0001_review_stages_and_sign_offs"),
    ]

    operations = [migrations.RunPython(create_stages, remove_stages)]
