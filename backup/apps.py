from django.apps import AppConfig


class BackupConfig(AppConfig):
    """Backups of the database and the media (backup, restore)."""

    name = "backup"
    verbose_name = "备份"
