"""An issue's PDF and its pages kept in step (edition.services, edition.tasks)."""

import errno

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from edition import services
from edition.models import Page
from edition.services import edition_render
from issues.models import EditionState
from tests.edition.conftest import attach_pdf, run_queued_tasks
from tests.forms import form_data
from tests.images import upload
from tests.pdfs import broken_pdf, magazine_pdf
from tests.review import sign_all
from uploads.storage import MediaStorage
from workflow.models import Status
from workflow.revisions import pending, publish, submit

pytestmark = pytest.mark.django_db


def stored_images(folder="edition") -> list[str]:
    """Every file under ``folder`` in the media storage."""
    if not default_storage.exists(folder):
        return []
    folders, files = default_storage.listdir(folder)
    found = [f"{folder}/{name}" for name in files]
    for sub in folders:
        found += stored_images(f"{folder}/{sub}")
    return found


def test_uploading_a_pdf_queues_its_rendering_and_renders_nothing_yet(issue):
    attach_pdf(issue, magazine_pdf(4, 1))

    assert issue.edition_state == EditionState.QUEUED
    assert issue.edition_note.startswith("等待生成")
    assert Page.objects.count() == 0
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "edition.tasks.render_issue_pages"
    assert queued.task_result.args == [issue.pk, issue.pdf.name]


def test_the_task_renders_every_page_with_its_printed_number(rendered_issue):
    issue = rendered_issue
    assert issue.edition_state == EditionState.READY
    assert issue.detected_page_one == 3
    assert issue.edition_note == "已生成12页；印刷第1页为PDF第3页（据页面上印的页码识别）。"
    pages = list(Page.objects.of(issue))
    assert [(p.index, p.number) for p in pages][:4] == [(1, None), (2, None), (3, 1), (4, 2)]
    assert [p.label for p in pages[:3]] == ["封面", "封二", "第1页"]
    assert len(stored_images()) == 24
    assert all(default_storage.exists(p.image.name) for p in pages)
    assert all(default_storage.exists(p.thumbnail.name) for p in pages)
    assert pages[0].image.name.startswith("edition/2020/")


def test_the_editor_sets_page_one_and_the_pages_are_renumbered(rendered_issue):
    issue = rendered_issue
    issue.page_one = 2
    issue.save()
    numbers = list(Page.objects.of(issue).values_list("number", flat=True))
    assert numbers == [None, *range(1, 12)]
    issue.refresh_from_db()
    assert issue.edition_note == "已生成12页；印刷第1页为PDF第2页（编辑设定）。"
    issue.page_one = None  # back to what the PDF says
    issue.save()
    assert Page.objects.get(issue=issue, index=3).number == 1


def test_page_one_past_the_last_page_is_pointed_out(rendered_issue):
    rendered_issue.page_one = 20
    rendered_issue.save()
    rendered_issue.refresh_from_db()
    assert "PDF只有12页" in rendered_issue.edition_note
    assert not Page.objects.filter(issue=rendered_issue, number__isnull=False).exists()


def test_no_numbers_in_the_pdf_counts_from_its_first_page_and_says_so(issue, small_pages):
    attach_pdf(issue, magazine_pdf(2, 5))  # no page shows a number
    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.detected_page_one is None
    assert "未能从PDF识别" in issue.edition_note
    assert list(Page.objects.of(issue).values_list("number", flat=True)) == [1, 2]


def test_replacing_the_pdf_replaces_the_pages_and_removes_the_old_images(
    rendered_issue, django_capture_on_commit_callbacks
):
    issue = rendered_issue
    old_files = Page.objects.of(issue).files()
    assert len(old_files) == 24

    with django_capture_on_commit_callbacks(execute=True):
        attach_pdf(issue, magazine_pdf(5, 2), name="corrected.pdf")
    # Until the new pages are rendered readers see none: the old ones show another PDF.
    assert issue.edition_state == EditionState.QUEUED
    assert not issue.has_pages
    assert Page.objects.filter(issue=issue).count() == 0
    assert not any(default_storage.exists(name) for name in old_files)

    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.has_pages
    assert list(Page.objects.of(issue).values_list("index", "number")) == [
        (1, None),
        (2, 1),
        (3, 2),
        (4, 3),
        (5, 4),
    ]


def test_a_rendering_overtaken_by_a_newer_pdf_writes_nothing(issue, small_pages):
    attach_pdf(issue, magazine_pdf(3, 1))
    first_pdf = issue.pdf.name
    attach_pdf(issue, magazine_pdf(2, 1), name="newer.pdf")

    assert edition_render(issue_pk=issue.pk, pdf=first_pdf).startswith("已过时")
    assert Page.objects.count() == 0
    run_queued_tasks()  # both tasks: the first does nothing, the second renders
    assert Page.objects.filter(issue=issue).count() == 2


def test_a_broken_pdf_is_reported_on_the_issue_and_leaves_no_pages(
    rendered_issue, django_capture_on_commit_callbacks
):
    issue = rendered_issue
    old_files = Page.objects.of(issue).files()
    with django_capture_on_commit_callbacks(execute=True):
        attach_pdf(issue, broken_pdf(), name="broken.pdf")
        run_queued_tasks()
    issue.refresh_from_db()

    assert issue.edition_state == EditionState.FAILED
    assert issue.edition_note.startswith("生成失败：PDF 无法打开（文件损坏、不完整或有密码）")
    assert not issue.has_pages
    assert Page.objects.filter(issue=issue).count() == 0
    assert not any(default_storage.exists(name) for name in old_files)
    assert stored_images() == []  # nothing left half-written either


def test_removing_the_pdf_removes_the_pages(rendered_issue, django_capture_on_commit_callbacks):
    issue = rendered_issue
    files = Page.objects.of(issue).files()
    issue.pdf = ""
    with django_capture_on_commit_callbacks(execute=True):
        issue.save()
    issue.refresh_from_db()
    assert (issue.edition_state, issue.has_pages) == (EditionState.NONE, False)
    assert Page.objects.count() == 0
    assert not any(default_storage.exists(name) for name in files)
    assert DBTaskResult.objects.count() == 0  # nothing to render


def test_deleting_the_issue_deletes_the_page_images(
    rendered_issue, django_capture_on_commit_callbacks
):
    files = Page.objects.of(rendered_issue).files()
    with django_capture_on_commit_callbacks(execute=True):
        rendered_issue.delete()
    assert not any(default_storage.exists(name) for name in files)


def test_editor_uploads_a_broken_pdf_in_the_admin_and_sees_why_it_failed(
    editor_client, issue, small_pages, django_capture_on_commit_callbacks
):
    # The PDF comes while the issue is prepared (a live issue's goes into its 修改稿).
    type(issue).objects.filter(pk=issue.pk).update(status=Status.DRAFT, published_at=None)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = form_data(editor_client.get(url).content.decode(), "issue_form")
    data["pdf"] = upload("2020-4.pdf", broken_pdf())
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302

    page = editor_client.get(url).content.decode()
    assert "等待生成：PDF 已上传" in page
    run_queued_tasks()
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "生成失败：PDF 无法打开（文件损坏、不完整或有密码）" in page.content.decode()


def test_a_save_of_an_issue_loaded_before_the_rendering_keeps_the_pages(issue, small_pages):
    """An editor's form saved while the worker rendered: the worker's record stands."""
    attach_pdf(issue, magazine_pdf(4, 1))
    stale = type(issue).objects.get(pk=issue.pk)  # loaded while 等待生成
    run_queued_tasks()
    stale.address = "晋城市泽州路"
    stale.save()
    issue.refresh_from_db()
    assert (issue.address, issue.edition_state, issue.has_pages) == (
        "晋城市泽州路",
        EditionState.READY,
        True,
    )
    assert issue.edition_note.startswith("已生成4页")


def test_a_full_disk_mid_rendering_is_reported_and_leaves_nothing(issue, small_pages, monkeypatch):
    attach_pdf(issue, magazine_pdf(6, 1))
    real_save = MediaStorage.save
    saved = []

    def save_until_full(storage, name, content, **kwargs):
        if len(saved) == 5:
            raise OSError(errno.ENOSPC, "No space left on device")
        saved.append(real_save(storage, name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(MediaStorage, "save", save_until_full)
    run_queued_tasks()
    issue.refresh_from_db()
    assert issue.edition_state == EditionState.FAILED
    assert issue.edition_note.startswith("生成失败：磁盘空间不足，页面图片未保存")
    assert stored_images() == []


def test_an_unexpected_error_is_reported_on_the_issue_and_raised(issue, small_pages, monkeypatch):
    attach_pdf(issue, magazine_pdf(2, 1))

    def broken_renderer(source, *, save):
        save("p001.webp", b"RIFF")
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "render_pdf", broken_renderer)
    with pytest.raises(RuntimeError, match="a bug"):
        edition_render(issue_pk=issue.pk, pdf=issue.pdf.name)
    issue.refresh_from_db()
    assert issue.edition_note == "生成失败：意外错误（RuntimeError），请联系系统管理员。"
    assert stored_images() == []


def test_a_pdf_uploaded_to_a_live_issue_waits_in_its_revision_then_renders(
    client,
    rendered_issue,
    staff_editor,
    chief_editor,
    small_pages,
    django_capture_on_commit_callbacks,
):
    """Readers keep the printed pages they have until the new PDF has passed 三审; its
    publication queues the rendering that replaces them."""
    old_files = Page.objects.of(rendered_issue).files()
    client.force_login(staff_editor)
    url = reverse("admin:issues_issue_change", args=[rendered_issue.pk])
    data = form_data(client.get(url).content.decode(), "issue_form")
    data["pdf"] = upload("2020-4.pdf", magazine_pdf(8, 2))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, data, follow=True).content.decode()

    assert "已保存为修改稿（第 1 版）" in page
    assert run_queued_tasks() == 0  # nothing rendered for an unreviewed PDF
    assert Page.objects.of(rendered_issue).count() == 12
    assert all(default_storage.exists(name) for name in old_files)

    revision = pending(rendered_issue)
    submit(revision, by=staff_editor)
    sign_all(revision)
    with django_capture_on_commit_callbacks(execute=True):
        publish(revision, by=chief_editor)
    assert run_queued_tasks() == 1
    rendered_issue.refresh_from_db()
    assert rendered_issue.edition_note == "已生成8页；印刷第1页为PDF第2页（据页面上印的页码识别）。"
    assert Page.objects.of(rendered_issue).count() == 8
    assert not any(default_storage.exists(name) for name in old_files)


def test_two_renderings_of_the_same_pdf_leave_one_set_of_pages_and_images(
    issue, small_pages, monkeypatch, django_capture_on_commit_callbacks
):
    """重新生成电子版 while the first rendering still runs: the one finishing last
    replaces the other's pages, and the other's images go with them."""
    attach_pdf(issue, magazine_pdf(4, 1))
    pdf = issue.pdf.name
    real_detect = services.detect_page_one
    overtaken = []

    def detect_after_another_rendering(rendered):
        if not overtaken:  # the first rendering, its images made, not yet saved
            overtaken.append("running")
            overtaken[0] = edition_render(issue_pk=issue.pk, pdf=pdf)
        return real_detect(rendered)

    monkeypatch.setattr(services, "detect_page_one", detect_after_another_rendering)
    with django_capture_on_commit_callbacks(execute=True):
        note = edition_render(issue_pk=issue.pk, pdf=pdf)
    assert overtaken == [note] == ["已生成4页；印刷第1页为PDF第1页（据页面上印的页码识别）。"]
    assert list(Page.objects.of(issue).values_list("index", flat=True)) == [1, 2, 3, 4]
    assert sorted(stored_images()) == sorted(Page.objects.of(issue).files())
    assert len(stored_images()) == 8
