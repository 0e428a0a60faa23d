"""Workflow steps of an issue. The admin's buttons and actions, the commands and the
tests all call these; the rules themselves are in ``workflow.transitions``."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article, ArticleEvent
from workflow.models import Status
from workflow.transitions import NotPermitted, PublicationBlocked, apply_transition, save_step

from .checks import issue_check
from .models import Issue, IssueEvent, MastheadEntry

User = AbstractBaseUser | None


def issue_submit(*, issue: Issue, by: User, note: str = "") -> IssueEvent:
    """草稿 → 待审."""
    return apply_transition(issue, "submit", by=by, note=note)


@transaction.atomic
def issue_publish(
    *, issue: Issue, by: User, at: datetime.datetime | None = None, note: str = ""
) -> IssueEvent:
    """待审 → 已发布, now or at ``at`` (定时发布), if the pre-publication check finds no
    problem. Its entries that are not withdrawn are published with it, at the same
    time; each gets its own record. Entries already published keep their own time."""

    def ensure_checked(locked):
        check = issue_check(locked)
        if not check.passed:
            raise PublicationBlocked(f"{locked}未通过发布前检查，不能发布：", check.problems)

    event = apply_transition(
        issue, "publish", by=by, note=note, publish_at=at, before=ensure_checked
    )
    entries = issue.articles.to_be_published().unreleased()
    for article in entries.select_for_update().order_by("toc_position"):
        source = article.status
        article.status = Status.PUBLISHED
        article.published_at = issue.published_at
        save_step(article, by=by, reason=f"随{issue}发布")
        ArticleEvent.objects.create(
            article=article,
            from_status=source,
            to_status=Status.PUBLISHED,
            user=by,
            at=timezone.now(),
            note=f"随{issue}发布" + (f"：{note}" if note else ""),
            publish_at=issue.published_at,
        )
    return event


@transaction.atomic
def issue_reschedule(
    *, issue: Issue, by: User, at: datetime.datetime, note: str = ""
) -> IssueEvent:
    """改期: a scheduled issue (已发布, its time still ahead) gets the time ``at``; its
    articles that were to appear with it move with it."""
    planned = issue.published_at
    event = apply_transition(issue, "reschedule", by=by, note=note, publish_at=at)
    for article in issue.articles.released().filter(published_at=planned).select_for_update():
        article.published_at = issue.published_at
        save_step(article, by=by, reason=f"随{issue}改期")
    return event


def issue_withdraw(*, issue: Issue, by: User, note: str = "") -> IssueEvent:
    """已发布 → 已撤回: the issue and all its articles disappear for readers (the
    articles keep their own state, for when the issue is published again)."""
    return apply_transition(issue, "withdraw", by=by, note=note)


def issue_redraft(*, issue: Issue, by: User, note: str = "") -> IssueEvent:
    """待审 or 已撤回 → 草稿, to be revised."""
    return apply_transition(issue, "redraft", by=by, note=note)


# --- import (the importer calls these around ``import_issue``) -------------------------


def issue_import_permitted(*, by: User, status: str | None, replacing: Issue | None = None) -> None:
    """Refuse an import ``by`` may not make: importing needs ``import_issue`` (档案员);
    importing straight to 已发布, or replacing a published issue (which changes what
    readers see, or takes it off the site), skips review and also needs
    ``publish_issue`` (主编). ``by=None`` is the system operator. ``status=None``: not
    decided yet (the command's check before it reads the files). Call it before anything
    is written."""
    if by is None:
        return
    who = by.get_username()
    if not (by.is_active and by.has_perm("issues.import_issue")):
        raise NotPermitted(f"用户 {who} 没有导入期刊的权限。")
    if by.has_perm("issues.publish_issue"):
        return
    if status == Status.PUBLISHED:
        raise NotPermitted(
            f"用户 {who} 没有发布期刊的权限，不能导入为“已发布”：请导入为草稿，由主编审核发布。"
        )
    if replacing is not None and replacing.is_released:
        raise NotPermitted(f"用户 {who} 没有发布期刊的权限，不能替换已发布的{replacing}。")


def issue_record_import(*, issue: Issue, by: User, source: str = "") -> IssueEvent:
    """The first line of an imported issue's record: created as 草稿 or 已发布, by whom,
    from which file."""
    return IssueEvent.objects.create(
        issue=issue,
        from_status="",
        to_status=issue.status,
        user=by,
        at=timezone.now(),
        note=f"导入：{source}" if source else "导入",
        publish_at=issue.published_at if issue.status == Status.PUBLISHED else None,
    )


def issue_record_replace(
    *,
    issue: Issue,
    by: User,
    from_status: str,
    articles: list[tuple[Article, str]],
    source: str = "",
    summary: str = "",
) -> IssueEvent:
    """The line an import with ``--replace`` adds to the issue's record — who, when, the
    state before and after, “以导入文件替换：<file>（<summary>）” — and one to the record of
    each article it rewrote in place (``articles``: each with its state before). The
    earlier lines stay."""
    now = timezone.now()
    note = f"以导入文件替换：{source}" if source else "以导入文件替换"

    def publish_at(obj):
        return obj.published_at if obj.status == Status.PUBLISHED else None

    ArticleEvent.objects.bulk_create(
        ArticleEvent(
            article=article,
            from_status=before,
            to_status=article.status,
            user=by,
            at=now,
            note=note,
            publish_at=publish_at(article),
        )
        for article, before in articles
    )
    return IssueEvent.objects.create(
        issue=issue,
        from_status=from_status,
        to_status=issue.status,
        user=by,
        at=now,
        note=note + (f"（{summary}）" if summary else ""),
        publish_at=publish_at(issue),
    )


def issues_with_masthead_changed_by_merge(*, target, others) -> list[Issue]:
    """The issues whose printed 编委会 changes when ``others`` (people) merge into
    ``target`` (a ``members.appearances`` merge effect): a seat held by one of ``others``
    under another name than ``target``'s, or one role held by two of the merged people,
    whose seats become one."""
    group = [target.pk, *(p.pk for p in others)]
    renamed = [p.pk for p in others if p.name != target.name]
    doubled = (
        MastheadEntry.objects.filter(person__in=group)
        .values("issue", "role")
        .annotate(holders=Count("pk"))
        .filter(holders__gt=1)
        .values("issue")
    )
    return list(
        Issue.objects.filter(Q(masthead__person__in=renamed) | Q(pk__in=doubled))
        .distinct()
        .order_by("pk")
    )
