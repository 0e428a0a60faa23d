from django.core.management.base import BaseCommand, CommandError

from backup.services import BackupError, backup_restore, latest_backup


class Command(BaseCommand):
    help = "从备份恢复数据库和上传的文件。数据库中已有内容时须加 --yes。"

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="a backup folder (default: the latest)")
        parser.add_argument(
            "--yes", action="store_true", help="overwrite a database that already has content"
        )

    def handle(self, *args, folder=None, yes=False, **options):
        try:
            folder = folder or latest_backup()
            manifest = backup_restore(folder=folder, overwrite=yes)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {folder}（{manifest['created']}）恢复数据库和 "
                f"{manifest['media_files']} 个文件。"
            )
        )
