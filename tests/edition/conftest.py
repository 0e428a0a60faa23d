import pytest
from django.core.files.base import ContentFile
from django_tasks_db.models import DBTaskResult

from edition import rendering
from tests.factories import ArticleFactory, ColumnFactory, IssueFactory
from tests.pdfs import magazine_pdf
from workflow.models import Status


@pytest.fixture
def small_pages(monkeypatch):
    """Pages rendered narrower than in production: the tests that are not about the
    images' sizes run several times faster. test_rendering.py checks the real sizes."""
    monkeypatch.setattr(rendering, "READING_WIDTH", 400)
    monkeypatch.setattr(rendering, "THUMBNAIL_WIDTH", 100)


def attach_pdf(issue, data: bytes, name: str = "issue.pdf"):
    """Give ``issue`` a PDF the way the admin does: assign and save (which queues the
    rendering of its pages)."""
    issue.pdf = ContentFile(data, name=name)
    issue.save()
    issue.refresh_from_db()
    return issue


def run_queued_tasks() -> int:
    """Run the tasks the database backend holds, as ``db_worker`` would (in this test's
    transaction: the worker's own loop closes connections, which a test transaction
    cannot survive; tests/edition/test_tasks.py runs the worker itself)."""
    ran = 0
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task_result = result.task_result
        result.task.call(*task_result.args, **task_result.kwargs)
        result.delete()
        ran += 1
    return ran


@pytest.fixture
def issue(db):
    return IssueFactory(year=2020, number=4, total_number=43)


@pytest.fixture
def rendered_issue(issue, small_pages):
    """2020年第4期 with a 12-page PDF whose printed page 1 is PDF page 3, rendered."""
    attach_pdf(issue, magazine_pdf(12, 3))
    assert run_queued_tasks() == 1
    issue.refresh_from_db()
    return issue


@pytest.fixture
def page_seven_articles(issue):
    """Articles printed on page 7 (two, and the continued part of a third) and two that
    are not (one elsewhere, one a draft)."""
    column = ColumnFactory(name="本期关注", slug="benqiguanzhu")
    make = lambda position, title, start, end, **kw: ArticleFactory(  # noqa: E731
        issue=issue,
        column=column,
        toc_position=position,
        title=title,
        start_page=start,
        end_page=end,
        **kw,
    )
    return {
        "elsewhere": make(1, "开篇的话", 1, 2),
        "ending": make(2, "凝心聚力谱新篇", 5, 7),
        "starting": make(3, "协商民主的晋城实践", 7, 8),
        "continued": make(4, "委员履职故事", 10, 10, continuation_pages=[7]),
        "draft": make(5, "尚未发布的稿件", 7, 7, status=Status.DRAFT),
    }
