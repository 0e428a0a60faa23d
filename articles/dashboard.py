"""The articles' panel of the editors' dashboard (``workflow.dashboard``): articles
waiting for review."""

from django.urls import reverse

from .models import Article

REVIEW_LIST_LENGTH = 50


def articles_panel(user) -> dict | None:
    if not user.has_perm("articles.view_article"):
        return None
    waiting = (
        Article.objects.awaiting_review()
        .select_related("issue", "column")
        .order_by("-issue__year", "-issue__number", "toc_position")
    )
    return {
        "review_total": waiting.count(),
        "articles_in_review": [
            (article, reverse("admin:articles_article_change", args=[article.pk]))
            for article in waiting[:REVIEW_LIST_LENGTH]
        ],
    }
