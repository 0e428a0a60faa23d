"""三审 in tests: reviewers of each default stage, and signing every stage of a piece
through the service (as the admin's 签发 does), for tests about what follows review."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
