"""``manage.py render_pages`` and the worker that runs the queued renderings."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from edition.models import Page
from issues.models import EditionState, Issue
from tests.edition.conftest import attach_pdf
from tests.factories import IssueFactory
from tests.pdfs import broken_pdf, magazine_pdf


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("render_pages", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_render_pages_renders_one_issue_now(issue, small_pages):
    attach_pdf(issue, magazine_pdf(4, 2))
    out, _ = run("2020", "4")
    assert (
        out == "2020年第4期（总第43期）：已生成4页；印刷第1页为PDF第2页（据页面上印的页码识别）。\n"
    )
    assert Page.objects.filter(issue=issue).count() == 4


@pytest.mark.django_db
def test_render_pages_without_arguments_renders_every_issue_with_a_pdf(issue, small_pages):
    attach_pdf(issue, magazine_pdf(2, 1))
    broken = attach_pdf(IssueFactory(year=2021, number=1, total_number=44), broken_pdf())
    IssueFactory(year=2021, number=2, total_number=45)  # no PDF: left alone
    with pytest.raises(CommandError, match="1期的电子版生成失败"):
        run()
    assert Issue.objects.get(pk=broken.pk).edition_state == EditionState.FAILED
    assert Page.objects.filter(issue=issue).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["2020"], "请同时给出年份和期号"),
        (["1999", "1"], "没有1999年第1期"),
        (["2020", "4"], "没有PDF"),
    ],
)
def test_render_pages_says_what_is_wrong(issue, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_what_an_upload_queued(small_pages):
    """The database backend's own worker, as ``make run`` and production run it
    (``--batch``: it stops when the queue is empty)."""
    issue = attach_pdf(IssueFactory(year=2020, number=4, total_number=43), magazine_pdf(5, 2))
    assert issue.edition_state == EditionState.QUEUED
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
    issue.refresh_from_db()
    assert issue.edition_state == EditionState.READY
    assert Page.objects.filter(issue=issue).count() == 5
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert result.task_result.return_value.startswith("已生成5页")
