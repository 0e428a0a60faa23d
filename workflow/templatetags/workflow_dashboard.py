"""The editors' dashboard on the admin index: issues in progress with their
pre-publication check, scheduled issues, articles waiting for review."""

from django import template
from django.urls import reverse

from articles.models import Article
from issues.checks import issue_check, with_check_data
from issues.models import Issue

register = template.Library()

REVIEW_LIST_LENGTH = 50


@register.inclusion_tag("admin/workflow/dashboard.html", takes_context=True)
def editorial_dashboard(context):
    """A fixed number of queries however many issues are in progress."""
    user = context["request"].user
    data = {"show_issues": user.has_perm("issues.view_issue")}
    if data["show_issues"]:
        issues = with_check_data(Issue.objects.in_progress()).order_by("-year", "-number")
        data["issues_in_progress"] = [
            (issue, issue_check(issue), reverse("admin:issues_issue_change", args=[issue.pk]))
            for issue in issues
        ]
        data["scheduled_issues"] = [
            (issue, reverse("admin:issues_issue_change", args=[issue.pk]))
            for issue in Issue.objects.scheduled().order_by("published_at")
        ]
    data["show_articles"] = user.has_perm("articles.view_article")
    if data["show_articles"]:
        waiting = (
            Article.objects.awaiting_review()
            .select_related("issue", "column")
            .order_by("-issue__year", "-issue__number", "toc_position")
        )
        data["review_total"] = waiting.count()
        data["articles_in_review"] = [
            (article, reverse("admin:articles_article_change", args=[article.pk]))
            for article in waiting[:REVIEW_LIST_LENGTH]
        ]
    return data
