"""Nothing lost: manage.py backup / restore bring the database and the media back, and
restore never overwrites content unless told to."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from articles.models import Article
from backup.services import (
    BackupError,
    _extract_media,
    backup_create,
    backup_restore,
    database_is_empty,
)
from issues.models import Issue
from members.models import Person
from tests.factories import ArticleFactory, AuthorshipFactory, IssueFactory
from tests.images import image_bytes
from tests.planner import analyzed_since, postgresql_only

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _backup_root(settings, tmp_path):
    settings.JCZX_BACKUP_ROOT = tmp_path / "backups"


@pytest.fixture
def content():
    article = ArticleFactory(title="在市委政协工作会议上的讲话", body="<p>人民政协为人民。</p>")
    AuthorshipFactory(article=article, person__name="张志川", byline_title="市委书记")
    article.issue.cover = ContentFile(image_bytes("PNG"), name="cover.png")
    article.issue.save()
    return article


def wipe(settings):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def skip_without_pg_dump():
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not on PATH")


def test_round_trip_brings_back_content_and_files(content, settings, capsys):
    skip_without_pg_dump()
    cover = content.issue.cover.name
    cover_bytes = default_storage.open(cover).read()

    call_command("backup")
    folder = next((settings.JCZX_BACKUP_ROOT).iterdir())
    assert "已备份到" in capsys.readouterr().out
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] == 1

    wipe(settings)
    assert Article.objects.count() == 0 and not default_storage.exists(cover)
    assert database_is_empty()

    call_command("restore", str(folder))  # an empty database needs no --yes

    article = Article.objects.get()
    assert article.title == "在市委政协工作会议上的讲话"
    assert article.body == "<p>人民政协为人民。</p>"
    assert str(article.authorships.get()) == "市委书记 张志川"
    assert Issue.objects.get().cover.name == cover
    assert default_storage.open(cover).read() == cover_bytes
    assert "恢复数据库和 1 个文件" in capsys.readouterr().out


def test_restore_refuses_to_overwrite_content_without_yes(content):
    skip_without_pg_dump()
    folder = backup_create()
    ArticleFactory(issue=content.issue, title="备份之后写的文章")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(folder))

    assert Article.objects.filter(title="备份之后写的文章").exists()


def test_restore_with_yes_returns_to_the_backup(content):
    skip_without_pg_dump()
    folder = backup_create()
    ArticleFactory(issue=content.issue, title="备份之后写的文章")
    content.title = "改过的标题"
    content.save()

    call_command("restore", str(folder), "--yes")

    assert list(Article.objects.values_list("title", flat=True)) == ["在市委政协工作会议上的讲话"]


@postgresql_only
def test_restore_leaves_every_restored_table_analyzed(content):
    skip_without_pg_dump()
    folder = backup_create()
    # pg_restore --clean recreates the tables, so their counts start again from zero
    call_command("restore", str(folder), "--yes", stdout=io.StringIO())
    after = analyzed_since(
        {"articles_article": 0, "issues_issue": 0, "members_person": 0, "auth_user": 0},
        Article,
        Issue,
        Person,
        User,
    )
    assert set(after.values()) == {1}


def test_restore_without_a_folder_takes_the_latest(content, settings):
    skip_without_pg_dump()
    backup_create()
    content.title = "第二次备份时的标题"
    content.save()
    backup_create()
    wipe(settings)

    call_command("restore")

    assert Article.objects.get().title == "第二次备份时的标题"


def test_a_damaged_backup_is_refused_before_anything_changes(content):
    skip_without_pg_dump()
    folder = backup_create()
    with open(folder / "media.tar.gz", "ab") as archive:
        archive.write(b"\0")
    content.title = "恢复失败也不能丢"
    content.save()

    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(folder), "--yes")

    assert Article.objects.get().title == "恢复失败也不能丢"


def test_not_a_backup_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="不是备份目录"):
        call_command("restore", str(tmp_path))


def test_no_backups_yet_is_a_clear_error():
    with pytest.raises(CommandError, match="没有备份"):
        call_command("restore")


@pytest.fixture
def object_storage(settings):
    """Uploads in a storage that is not MEDIA_ROOT, as with DJANGO_STORAGE=s3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    yield default_storage
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing went through the folder


def test_media_in_object_storage_are_backed_up_and_restored(object_storage, settings):
    skip_without_pg_dump()
    issue = IssueFactory()
    issue.cover = ContentFile(image_bytes("PNG"), name="cover.png")
    issue.save()
    cover, cover_bytes = issue.cover.name, object_storage.open(issue.cover.name).read()
    photo = object_storage.save("uploads/调研现场.jpg", ContentFile(b"\xff\xd8 a photo"))

    folder = backup_create()

    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media_files"] == 2
    with tarfile.open(folder / "media.tar.gz") as archive:
        assert sorted(archive.getnames()) == sorted([cover, photo])

    call_command("flush", interactive=False, verbosity=0)
    object_storage.delete(cover)
    object_storage.delete(photo)
    assert not object_storage.exists(cover)

    backup_restore(folder=folder)

    assert Issue.objects.get().cover.name == cover
    assert object_storage.open(cover).read() == cover_bytes
    assert object_storage.open(photo).read() == b"\xff\xd8 a photo"


def test_restore_replaces_a_changed_file_under_its_own_name(object_storage):
    skip_without_pg_dump()
    name = object_storage.save("uploads/note.pdf", ContentFile(b"%PDF-1.4 as backed up"))
    folder = backup_create()
    object_storage.delete(name)
    object_storage.save(name, ContentFile(b"%PDF-1.4 changed later"))

    backup_restore(folder=folder, overwrite=True)

    assert object_storage.listdir("uploads") == ([], ["note.pdf"])
    assert object_storage.open(name).read() == b"%PDF-1.4 as backed up"


def test_a_tampered_media_archive_cannot_write_outside_the_media(tmp_path, object_storage):
    archive_path = tmp_path / "media.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        data = b"evil"
        info = tarfile.TarInfo("../outside.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match=r"outside\.txt"):
        _extract_media(archive_path)
    assert not (tmp_path / "outside.txt").exists()
