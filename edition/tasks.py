"""The background task that renders an issue's pages (django-tasks; the worker is
``manage.py db_worker``, see README › 电子版)."""

from django.db import transaction
from django_tasks import task

from issues.models import Issue

from .services import edition_render, edition_reset, edition_retry


@task()
def render_issue_pages(issue_pk: int, pdf: str) -> str:
    """Render the pages of the stored PDF ``pdf`` of issue ``issue_pk``; the note the
    issue shows afterwards (已生成12页… or 生成失败：…)."""
    return edition_render(issue_pk=issue_pk, pdf=pdf)


def edition_queue(*, issue: Issue) -> bool:
    """Bring the 电子版 of a saved issue in step with its PDF: queue the rendering of a
    new PDF, in the caller's transaction (the task runs only if the save commits)."""
    if not edition_reset(issue=issue):
        return False
    render_issue_pages.enqueue(issue.pk, issue.pdf.name)
    return True


def edition_rerender(*, issue: Issue) -> bool:
    """Queue the rendering of the PDF readers' ``issue`` has once more (重新生成电子版: a
    worker killed mid-render leaves its task unfinished for ever). False when there is
    nothing to render (``edition_retry``). A rendering of the same PDF still running
    beside it does no harm: the last to finish replaces the other's pages and images."""
    with transaction.atomic():
        pdf = edition_retry(issue_pk=issue.pk)
        if pdf:
            render_issue_pages.enqueue(issue.pk, pdf)
    return bool(pdf)
