from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "edition"
    verbose_name = "电子版"

    def ready(self):
        # The registries and signals of the lower layers (docs/architecture.md): who may
        # read a page image, and an issue's save that brings a new PDF.
        from django.db.models.signals import post_delete, post_save

        from issues.models import Issue
        from uploads import access

        from . import media, signals
        from .models import Page

        access.register(media.cache_control_for_page_images)
        post_save.connect(signals.issue_saved, sender=Issue, dispatch_uid="edition_issue_saved")
        post_delete.connect(signals.page_deleted, sender=Page, dispatch_uid="edition_page_deleted")
