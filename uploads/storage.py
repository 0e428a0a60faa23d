"""The media storage on this machine's disk (settings: STORAGES["default"]), and what a
full disk means to the people uploading.

Django's FileSystemStorage writes a file in place: when the disk fills up half-way, the
truncated file stays under its final name (or as an empty file when not even its first
bytes fit), and a reader may fetch a file still being written. ``MediaStorage`` writes
under a temporary name in the same folder and moves the finished file to its name, so
a failed write leaves nothing and a file is never seen half-written."""

import contextlib
import errno
import os
import posixpath
import secrets

from django.core.files.storage import FileSystemStorage

# No space left on the device, or in the user's quota.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
DISK_FULL_MESSAGE = "磁盘空间不足，文件未保存。请联系系统管理员清理空间后再上传。"
# Prefix of a file being written; a crash mid-write (kill -9, power) leaves one behind,
# never a truncated file under a name a page links to.
PARTIAL_PREFIX = ".partial-"


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


class MediaStorage(FileSystemStorage):
    """FileSystemStorage that writes each file completely before it gets its name."""

    def _save(self, name, content):
        folder = posixpath.dirname(name)
        partial = posixpath.join(folder, f"{PARTIAL_PREFIX}{secrets.token_hex(16)}")
        try:
            # Creates the folders, writes the chunks (or moves an uploaded temporary
            # file), applies FILE_UPLOAD_PERMISSIONS: all of FileSystemStorage's writing.
            partial = super()._save(partial, content)
            return self._move_into_place(partial, name)
        except BaseException:
            self._discard(partial)
            raise

    def _move_into_place(self, partial: str, name: str) -> str:
        """Give the finished file ``name``, or the next free name, never replacing a
        file that exists (FileSystemStorage's rule): the name is claimed with O_EXCL,
        then the file replaces that empty claim in one rename."""
        while True:
            target = self.path(name)
            try:
                claim = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                name = self.get_available_name(name)
                continue
            os.close(claim)
            try:
                os.replace(self.path(partial), target)
            except BaseException:
                self._discard(name)
                raise
            return name.replace("\\", "/")

    def _discard(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.path(name))
