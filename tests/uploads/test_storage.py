"""A full disk (uploads.storage, uploads.admin): an upload that does not fit is a message
in the issue's admin form or in CKEditor, and leaves no file, whole or partial.

The disk is ``DiskFullStorage``: the media storage on a disk with ROOM bytes left, where
a write stops with ENOSPC once those are written, as the kernel does."""

import errno
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from issues.models import Issue
from tests.factories import IssueFactory
from tests.forms import form_data
from tests.images import image_bytes, minimal_pdf, upload
from uploads.storage import MediaStorage

pytestmark = pytest.mark.django_db

ROOM = 100
MESSAGE = "磁盘空间不足，文件未保存。请联系系统管理员清理空间后再上传。"


class _FillsTheDisk(ContentFile):
    """Content whose writing fails part-way: ROOM bytes reach the file, then ENOSPC."""

    def chunks(self, chunk_size=None):
        data = self.read()
        yield data[:ROOM]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class DiskFullStorage(MediaStorage):
    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, _FillsTheDisk(content.read(), name=content.name))


@pytest.fixture
def full_disk(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.DiskFullStorage"},
    }
    return settings.MEDIA_ROOT


def files_under(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _, names in os.walk(root)
        for name in names
    )


@pytest.fixture
def issue():
    return IssueFactory(year=2020, number=4, total_number=43)


def post_issue_form(client, issue, **changes):
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = form_data(client.get(url).content.decode(), "issue_form")
    data.update(changes)
    return client.post(url, data)


def test_a_cover_on_a_full_disk_is_a_message_on_the_form(editor_client, issue, full_disk):
    response = post_issue_form(
        editor_client, issue, cover=upload("封面.jpg", image_bytes()), pub_date="2020-04-28"
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors == {"cover": [MESSAGE]}
    assert MESSAGE in response.content.decode()
    # The form is shown as the editor filled it in; nothing of it was saved.
    assert form.data["pub_date"] == "2020-04-28"
    issue.refresh_from_db()
    assert not issue.cover
    assert str(issue.pub_date) != "2020-04-28"
    assert files_under(full_disk) == []


def test_a_pdf_on_a_full_disk_is_a_message_on_the_form(editor_client, issue, full_disk):
    response = post_issue_form(editor_client, issue, pdf=upload("本期.pdf", minimal_pdf()))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"pdf": [MESSAGE]}
    assert not Issue.objects.get(pk=issue.pk).pdf
    assert files_under(full_disk) == []


def test_an_image_for_the_text_on_a_full_disk_is_a_message_in_ckeditor(editor_client, full_disk):
    response = editor_client.post(
        reverse("image_upload"), {"upload": upload("会议.jpg", image_bytes())}
    )

    assert response.status_code == 507
    assert response.json() == {"error": {"message": MESSAGE}}
    assert files_under(full_disk) == []


def test_with_room_on_the_disk_the_file_is_written_whole_under_its_name(settings):
    storage = MediaStorage()
    data = image_bytes() * 50

    name = storage.save("uploads/a.jpg", ContentFile(data))

    assert name == "uploads/a.jpg"
    assert files_under(settings.MEDIA_ROOT) == ["uploads/a.jpg"]
    with storage.open(name) as f:
        assert f.read() == data
    assert oct(os.stat(storage.path(name)).st_mode & 0o777) == "0o644"


def test_an_existing_file_is_never_replaced(settings):
    storage = MediaStorage()
    first = storage.save("uploads/a.jpg", ContentFile(b"first"))
    # Two uploads racing for one name: the second finds it taken when it moves in.
    second = storage._save("uploads/a.jpg", ContentFile(b"second"))

    assert first == "uploads/a.jpg"
    assert re.fullmatch(r"uploads/a_\w{7}\.jpg", second)
    with storage.open(first) as f:
        assert f.read() == b"first"
    assert len(files_under(settings.MEDIA_ROOT)) == 2


def test_uploads_go_through_the_media_storage():
    default_storage.exists("uploads")  # resolves the lazy default storage
    assert type(default_storage._wrapped) is MediaStorage
