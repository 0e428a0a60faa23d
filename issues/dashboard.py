"""The issues' panel of the editors' dashboard (``workflow.dashboard``): issues in
progress with their pre-publication check, scheduled issues."""

from django.urls import reverse

from .checks import issue_check, with_check_data
from .models import Issue


def issues_panel(user) -> dict | None:
    """A fixed number of queries however many issues are in progress."""
    if not user.has_perm("issues.view_issue"):
        return None
    issues = with_check_data(Issue.objects.in_progress()).order_by("-year", "-number")
    return {
        "issues_in_progress": [
            (issue, issue_check(issue), reverse("admin:issues_issue_change", args=[issue.pk]))
            for issue in issues
        ],
        "scheduled_issues": [
            (issue, reverse("admin:issues_issue_change", args=[issue.pk]))
            for issue in Issue.objects.scheduled().order_by("published_at")
        ],
    }
