"""Backups of everything an editor would miss: the database and the uploaded media.

A backup is a folder ``<JCZX_BACKUP_ROOT>/<YYYYmmdd-HHMMSS>/`` holding
- ``db.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``db.sqlite3`` (SQLite,
  through sqlite3's online backup API, consistent while the site runs),
- ``media.tar.gz``: every uploaded file, read through Django's storage API, so the
  media folder and an S3 bucket (``DJANGO_STORAGE=s3``) are backed up alike,
- ``manifest.json``: when, which database engine, and the SHA-256 of each file, so a
  damaged copy is refused before anything is overwritten.
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db import connection
from django.utils import timezone

from .statistics import analyze

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DB_FILES = {"postgresql": "db.dump", "sqlite": "db.sqlite3"}
# Tables that a freshly migrated database already fills (the editorial groups come from
# a data migration): not "content".
BOOKKEEPING_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "pagecache_scope",  # the scopes' tokens: written by migrate itself
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


def backup_create(*, root: Path | None = None) -> Path:
    """Write a backup of the database and the media storage into a new timestamped folder
    under ``root`` (JCZX_BACKUP_ROOT by default) and return the folder."""
    root = Path(root or settings.JCZX_BACKUP_ROOT)
    folder = _new_folder(root)
    try:
        db_file = folder / _db_file_name()
        _dump_database(db_file)
        media_count = _archive_media(folder / MEDIA_ARCHIVE)
        manifest = {
            "created": timezone.localtime().isoformat(timespec="seconds"),
            "engine": connection.vendor,
            "database": str(connection.settings_dict["NAME"]),
            "media_files": media_count,
            "media_storage": storages.backends["default"]["BACKEND"],
            "sha256": {p.name: _sha256(p) for p in (db_file, folder / MEDIA_ARCHIVE)},
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup behind
        raise
    return folder


def backup_restore(*, folder: Path, overwrite: bool = False) -> dict:
    """Put the database and media of the backup in ``folder`` back. Refuses, before
    touching anything, when the backup is damaged or from another database engine, and
    when the database holds content unless ``overwrite``. Returns the manifest."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest['engine']} 数据库，当前数据库是 {connection.vendor}，不能恢复。"
        )
    for name, digest in manifest["sha256"].items():
        if _sha256(folder / name) != digest:
            raise BackupError(f"备份文件 {folder / name} 已损坏（校验和不符），未做任何改动。")
    if not overwrite and not database_is_empty():
        raise BackupError(
            "数据库中已有内容：恢复会覆盖它们。确认要覆盖时请加 --yes（make restore YES=1）。"
        )
    _restore_database(folder / _db_file_name())
    analyze()  # pg_restore leaves every table without planner statistics
    _extract_media(folder / MEDIA_ARCHIVE)
    cache.clear()  # cached pages would show the content from before the restore
    return manifest


def latest_backup(root: Path | None = None) -> Path:
    root = Path(root or settings.JCZX_BACKUP_ROOT)
    folders = sorted(p for p in root.glob("*") if (p / MANIFEST).is_file()) if root.is_dir() else []
    if not folders:
        raise BackupError(f"{root} 中没有备份。")
    return folders[-1]


def database_is_empty() -> bool:
    """True when no table other than Django's bookkeeping has a row."""
    tables = set(connection.introspection.table_names()) - BOOKKEEPING_TABLES
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                return False
    return True


# --- Database -----------------------------------------------------------------------------


def _db_file_name() -> str:
    if connection.vendor not in DB_FILES:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库。")
    return DB_FILES[connection.vendor]


def _dump_database(target: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")


def _restore_database(source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as original:
            original.backup(connection.connection)
        original.close()
    else:
        # pg_restore needs the tables free of Django's own connection's locks.
        connection.close()
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",  # all or nothing
            "--exit-on-error",
            str(source),
        )


def _run_pg(program: str, *args: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(
            f"找不到 {program}：请安装 PostgreSQL 客户端（Debian: postgresql-client）。"
        )
    db = connection.settings_dict
    command = [program, f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        command.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    result = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{program} 失败：{result.stderr.strip()}")


# --- Media --------------------------------------------------------------------------------


def _archive_media(target: Path) -> int:
    """Every file of the media storage into a tar.gz, read through Django's storage API:
    the media folder or an S3 bucket (DJANGO_STORAGE=s3) alike. Returns how many."""
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        for name in _stored_files(default_storage):
            with default_storage.open(name, "rb") as f:
                info = tarfile.TarInfo(name)
                info.size = default_storage.size(name)
                info.mtime = int(timezone.now().timestamp())
                info.mode = 0o644
                archive.addfile(info, f)
            count += 1
    return count


def _stored_files(storage, folder: str = ""):
    """The names of all files in ``storage``, sorted, folder by folder."""
    try:
        folders, file_names = storage.listdir(folder)
    except FileNotFoundError:  # a media folder not created yet: nothing uploaded
        return
    for name in sorted(file_names):
        yield posixpath.join(folder, name)
    for sub in sorted(folders):
        yield from _stored_files(storage, posixpath.join(folder, sub))


def _extract_media(source: Path) -> int:
    """Put every file of the archive back into the media storage under its own name,
    replacing the stored file of that name. Returns how many."""
    with tarfile.open(source, "r:gz") as archive:
        members = archive.getmembers()
        for member in members:
            _check_member(member)
        for member in members:
            if member.isdir():
                continue
            if default_storage.exists(member.name):
                default_storage.delete(member.name)
            with archive.extractfile(member) as f:
                stored = default_storage.save(member.name, File(f, name=member.name))
            if stored != member.name:
                raise BackupError(f"媒体文件 {member.name} 被存成了 {stored}，恢复未完成。")
    return sum(1 for m in members if not m.isdir())


def _check_member(member: tarfile.TarInfo) -> None:
    # What tarfile's "data" filter refuses (absolute paths, "..", links, devices), and
    # anything but a plain file or folder: a tampered archive cannot write elsewhere.
    try:
        tarfile.data_filter(member, "/media-root")
    except tarfile.FilterError as exc:
        raise BackupError(f"媒体备份中的 {member.name} 不安全，未恢复任何文件：{exc}") from exc
    if not (member.isfile() or member.isdir()):
        raise BackupError(f"媒体备份中的 {member.name} 不是普通文件，未恢复任何文件。")


# --- Files --------------------------------------------------------------------------------


def _new_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for attempt in range(100):
        folder = root / (stamp if attempt == 0 else f"{stamp}-{attempt}")
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        os.chmod(folder, 0o700)  # a backup holds password hashes and unpublished work
        return folder
    raise BackupError(f"无法在 {root} 中创建备份目录。")


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} 不是备份目录（没有 {MANIFEST}）。") from exc
    except json.JSONDecodeError as exc:
        raise BackupError(f"{folder / MANIFEST} 已损坏：{exc}") from exc
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError as exc:
        raise BackupError(f"备份文件 {path} 不存在。") from exc
    return digest.hexdigest()
