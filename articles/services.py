"""Workflow steps of an article. The admin's buttons and actions, the commands and the
tests all call these; the rules themselves are in ``workflow.transitions``."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from workflow.transitions import PublicationBlocked, apply_transition

from .models import Article, ArticleEvent, Authorship

User = AbstractBaseUser | None


def article_submit(*, article: Article, by: User, note: str = "") -> ArticleEvent:
    """草稿 → 待审."""
    return apply_transition(article, "submit", by=by, note=note)


def article_publish(
    *, article: Article, by: User, at: datetime.datetime | None = None, note: str = ""
) -> ArticleEvent:
    """待审 → 已发布, now or at ``at`` (定时发布). Readers see it once its issue is
    published too and both times have passed."""

    def ensure_body(locked):
        if not locked.has_body() and not locked.news_items.exists():
            raise PublicationBlocked(
                f"不能发布{locked.entry_label}：", [f"{locked.entry_label}没有正文"]
            )

    return apply_transition(article, "publish", by=by, note=note, publish_at=at, before=ensure_body)


def article_reschedule(
    *, article: Article, by: User, at: datetime.datetime, note: str = ""
) -> ArticleEvent:
    """改期: a scheduled article (已发布, its time still ahead) gets the time ``at``."""
    return apply_transition(article, "reschedule", by=by, note=note, publish_at=at)


def article_withdraw(*, article: Article, by: User, note: str = "") -> ArticleEvent:
    """已发布 → 已撤回: readers get 404 from then on."""
    return apply_transition(article, "withdraw", by=by, note=note)


def article_redraft(*, article: Article, by: User, note: str = "") -> ArticleEvent:
    """待审 or 已撤回 → 草稿, to be revised."""
    return apply_transition(article, "redraft", by=by, note=note)


def articles_with_bylines_changed_by_merge(*, target, others) -> list[Article]:
    """The articles whose printed byline changes when ``others`` (people) merge into
    ``target`` (a ``members.appearances`` merge effect): those signed by one of
    ``others`` under another name than ``target``'s, and those signed by two of the
    merged people, whose bylines become one. A duplicate record of the same name moves
    its bylines without changing what readers see."""
    group = [target.pk, *(p.pk for p in others)]
    renamed = [p.pk for p in others if p.name != target.name]
    doubled = (
        Authorship.objects.filter(person__in=group)
        .values("article")
        .annotate(signers=Count("pk"))
        .filter(signers__gt=1)
        .values("article")
    )
    return list(
        Article.objects.filter(Q(authorships__person__in=renamed) | Q(pk__in=doubled))
        .distinct()
        .select_related("issue")
        .order_by("pk")
    )
