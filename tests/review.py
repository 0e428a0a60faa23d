"""三审 in tests: reviewers of each default stage, and signing every stage of a piece
through the service (as the admin's 签发 does), for tests about what follows review."""

from importlib import import_module

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from workflow.models import ReviewStage
from workflow.review import sign_off

REVIEWER_NAMES = {"初审": "chushen", "复审": "fushen", "终审": "zhongshen"}


def reviewer(stage: ReviewStage):
    """A staff member of ``stage``'s group (one per stage, so no one signs two)."""
    user, created = get_user_model().objects.get_or_create(
        username=REVIEWER_NAMES.get(stage.name, f"reviewer{stage.pk}"),
        defaults={"is_staff": True, "email": f"{stage.pk}@example.org"},
    )
    if created:
        user.groups.add(Group.objects.get(pk=stage.group_id))
    return user


def sign_all(piece, opinion: str = "同意"):
    """Sign every stage of ``piece`` (submitted for review) in order; returns the sign-offs."""
    return [
        sign_off(piece, stage=stage, by=reviewer(stage), opinion=opinion)
        for stage in ReviewStage.objects.all()
    ]


_GROUPS = import_module("issues.migrations.0003_editorial_groups").GROUPS
_STAGES = import_module("issues.migrations.0005_review_stages")


def restore_review_setup():
    """The groups and review stages the data migrations make, again: a transactional
    test's flush removed them (serialized_rollback fails under xdist on SQLite)."""

    def grant(name, wanted):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return group

    for name, wanted in _GROUPS.items():
        grant(name, wanted)
    grant("编辑部主任", _STAGES.DIRECTOR)
    for name, wanted in _STAGES.EXTRA.items():
        grant(name, wanted)
    if not ReviewStage.objects.exists():
        for order, name, group in _STAGES.STAGES:
            ReviewStage.objects.create(order=order, name=name, group=Group.objects.get(name=group))
