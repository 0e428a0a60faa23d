from django.core.management.base import BaseCommand, CommandError

from backup.services import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和上传的文件（媒体）到 backups/<时间>/。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--root", help="where backup folders go (default: JCZX_BACKUP_ROOT, backups/)"
        )

    def handle(self, *args, root=None, **options):
        try:
            folder = backup_create(root=root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已备份到 {folder}"))
