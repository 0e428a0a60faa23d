"""The 电子版 of an issue: its PDF's pages kept in step with the PDF. Called by the
signal handler when an issue is saved (``edition.signals``), by the background task
(``edition.tasks``) and by ``manage.py render_pages``."""

import contextlib
import logging
import secrets
import shutil
import tempfile

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from issues.models import EditionState, Issue
from uploads.storage import is_disk_full

from .models import Page
from .rendering import UnreadablePdf, detect_page_one, printed_number, render_pdf

logger = logging.getLogger("jczx.edition")

PAGES_FOLDER = "edition/"


def edition_reset(*, issue: Issue) -> bool:
    """After ``issue`` was saved: when its PDF is not the one its pages come from, forget
    the old pages (readers stop seeing them at once; their files go when this commits)
    and record that the new PDF waits for rendering; when only 印刷第1页 changed,
    renumber the pages. True when the PDF's pages must be rendered."""
    pdf = issue.pdf.name or ""
    if pdf == issue.edition_pdf:
        if pdf:
            edition_renumber(issue=issue)
        return False
    if pdf:
        state, note = EditionState.QUEUED, "等待生成：PDF 已上传，页面图片将在后台生成。"
    else:
        state, note = EditionState.NONE, ""
    _record(issue, edition_pdf=pdf, edition_state=state, edition_note=note, detected_page_one=None)
    Page.objects.filter(issue=issue).delete()
    return bool(pdf)


def pages_made(issue: Issue) -> bool:
    """The pages of the issue's current PDF are made (and shown to readers)."""
    return issue.edition_state == EditionState.READY and issue.edition_pdf == issue.pdf.name


def edition_retry(*, issue_pk: int) -> str:
    """Record that the pages of issue ``issue_pk``'s PDF wait for rendering again (its
    task stopped, or failed for a reason since mended); the PDF to render, or "" when there
    is nothing to do: no PDF, or pages already made (rendering them again would take them
    off the site until done). The PDF is the issue's own, the one readers have: a PDF in a
    pending 修改稿 is not the issue's until the 修改稿 is published (三审), which queues
    it. The issue's row stays locked until the caller's transaction ends."""
    issue = Issue.objects.select_for_update().filter(pk=issue_pk).first()
    if issue is None or not issue.pdf:
        return ""
    if pages_made(issue):
        return ""
    pdf = issue.pdf.name
    _record(
        issue,
        edition_pdf=pdf,
        edition_state=EditionState.QUEUED,
        edition_note="等待生成：已重新排队，页面图片将在后台生成。",
    )
    return pdf


def edition_render(*, issue_pk: int, pdf: str) -> str:
    """Render the pages of ``pdf`` for issue ``issue_pk`` and put them in place of any
    earlier ones, in one transaction. Does nothing when the issue no longer has that PDF
    (a newer upload queued its own rendering). An unreadable PDF is recorded on the
    issue (生成失败 with the reason, shown in the admin), not raised. Returns the note."""
    issue = Issue.objects.filter(pk=issue_pk).first()
    if issue is None or (issue.pdf.name or "") != pdf:
        return "已过时：期刊或其PDF已变更。"
    _record(
        issue,
        edition_pdf=pdf,
        edition_state=EditionState.RENDERING,
        edition_note="正在生成页面图片……",
    )
    folder = f"{PAGES_FOLDER}{issue.year}/{secrets.token_hex(8)}/"
    written: list[str] = []

    def save(suffix: str, data: bytes) -> str:
        name = default_storage.save(folder + suffix, ContentFile(data))
        written.append(name)
        return name

    try:
        with _local_file(pdf) as source:
            rendered = list(render_pdf(source, save=save))
    except UnreadablePdf as exc:
        return _failed(issue, pdf, written, str(exc))
    except OSError as exc:
        if is_disk_full(exc):
            reason = (
                "磁盘空间不足，页面图片未保存：请联系系统管理员清理空间，然后点击“重新生成电子版”。"
            )
        else:
            reason = f"PDF 文件无法读取：{exc}"
        return _failed(issue, pdf, written, reason)
    except Exception as exc:
        # Not the PDF's fault: said on the issue all the same (never 正在生成 for ever),
        # and raised for the worker's log and the task's record.
        _failed(issue, pdf, written, f"意外错误（{type(exc).__name__}），请联系系统管理员。")
        raise
    except BaseException:  # the worker stopped hard: nothing half-written stays
        _discard(written)
        raise

    found = detect_page_one(rendered)
    with transaction.atomic():
        if not _still_current(issue_pk, pdf):
            transaction.on_commit(lambda: _discard(written))
            return "已过时：生成期间PDF已变更。"
        issue.refresh_from_db()
        issue.detected_page_one = found.index if found else None
        page_one = issue.printed_page_one
        Page.objects.filter(issue=issue).delete()
        Page.objects.bulk_create(
            Page(
                issue=issue,
                index=p.index,
                number=printed_number(p.index, page_one),
                image=p.image,
                width=p.width,
                height=p.height,
                thumbnail=p.thumbnail,
                thumbnail_width=p.thumbnail_width,
                thumbnail_height=p.thumbnail_height,
            )
            for p in rendered
        )
        _record(
            issue,
            edition_state=EditionState.READY,
            edition_note=_ready_note(issue, len(rendered), found),
            detected_page_one=issue.detected_page_one,
        )
    return issue.edition_note


def _failed(issue: Issue, pdf: str, written: list[str], reason: str) -> str:
    """Record that the pages of ``pdf`` could not be made: no pages (the old ones showed
    another PDF), the images written so far removed, the reason on the issue."""
    _discard(written)
    logger.warning("edition of %s failed: %s", issue, reason)
    with transaction.atomic():
        if _still_current(issue.pk, pdf):
            Page.objects.filter(issue_id=issue.pk).delete()
            _record(
                issue, edition_state=EditionState.FAILED, edition_note=f"生成失败：{reason}"[:300]
            )
    return issue.edition_note


def edition_renumber(*, issue: Issue) -> None:
    """Printed numbers from the issue's 印刷第1页, when they differ from the stored (no
    pages yet: nothing to do)."""
    pages = list(Page.objects.of(issue).only("pk", "index", "number"))
    page_one = issue.printed_page_one
    changed = [p for p in pages if p.number != printed_number(p.index, page_one)]
    if not changed:
        return
    with transaction.atomic():
        # Two passes, so that no two pages hold the same number in between.
        Page.objects.filter(pk__in=[p.pk for p in changed]).update(number=None)
        for page in changed:
            page.number = printed_number(page.index, page_one)
        Page.objects.bulk_update([p for p in changed if p.number is not None], ["number"])
        _record(issue, edition_note=_ready_note(issue, len(pages), None))


def _ready_note(issue: Issue, count: int, found) -> str:
    page_one = issue.printed_page_one
    if issue.page_one:
        how = "编辑设定"
        if issue.page_one > count:
            how += f"，但PDF只有{count}页：请检查“印刷第1页”"
    elif issue.detected_page_one:
        how = f"据{found.source_label}识别" if found else "自动识别"
    else:
        how = "未能从PDF识别，暂按第1页计：如有封面、目录，请设定“印刷第1页”"
    return f"已生成{count}页；印刷第1页为PDF第{page_one}页（{how}）。"


def _record(issue: Issue, **fields) -> None:
    """Write the 电子版 fields alone (no history line, no version change: they record
    derived files, not an edit) and keep ``issue`` in step."""
    Issue.objects.filter(pk=issue.pk).update(**fields)
    for name, value in fields.items():
        setattr(issue, name, value)


def _still_current(issue_pk: int, pdf: str) -> bool:
    """The issue still has ``pdf`` (its row locked until the transaction ends)."""
    current = (
        Issue.objects.select_for_update().filter(pk=issue_pk).values_list("pdf", flat=True).first()
    )
    return current == pdf


@contextlib.contextmanager
def _local_file(name: str):
    """A path PDFium can read the stored PDF from: the file itself on this machine's disk,
    else a temporary copy (object storage), so the PDF is never held in memory whole."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with default_storage.open(name, "rb") as stored, tempfile.NamedTemporaryFile() as copy:
        shutil.copyfileobj(stored, copy, length=1024 * 1024)
        copy.flush()
        yield copy.name


def _discard(names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def discard_page_files(names: list[str]) -> None:
    """Delete page images once the transaction that dropped their rows commits."""
    transaction.on_commit(lambda: _discard(names))
