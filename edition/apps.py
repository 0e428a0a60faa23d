from django.apps import AppConfig


class EditionConfig(AppConfig):
    name = "edition"
    verbose_name = "电子版"

    def ready(self):
        # The registries and signals of the lower layers (docs/architecture.md): who may
        # read a page image, an issue's save that brings a new PDF, the issue's admin.
        from django.db.models.signals import post_delete, post_save

        from articles import scopes
        from issues import adminhooks
        from issues.models import Issue
        from pagecache import scopes as pagecache_scopes
        from uploads import access

        from . import admin, media, signals
        from .models import Page

        # A page's row shows on its issue's pages (the reader, 阅读电子版, 查看原版) only.
        pagecache_scopes.register(Page, scopes=lambda row: (scopes.issue(row["issue_id"]),))
        access.register(media.cache_control_for_page_images)
        post_save.connect(signals.issue_saved, sender=Issue, dispatch_uid="edition_issue_saved")
        post_delete.connect(signals.page_deleted, sender=Page, dispatch_uid="edition_page_deleted")
        adminhooks.extend(
            actions=[admin.rerender_selected],
            views=[("edition/rerender/", admin.rerender_view, "rerender_edition")],
            links=[admin.rerender_links],
            displays={"edition_status": admin.edition_status},
        )
