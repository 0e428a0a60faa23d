from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "期刊"

    def ready(self):
        # The lower layers' registries (docs/architecture.md): who may read an issue's
        # files, its covers' renditions, its dashboard panel, a person's 编委会 seats.
        from members import appearances
        from uploads import access, renditions
        from workflow import dashboard

        from . import media, services
        from .dashboard import issues_panel
        from .models import Issue, MastheadEntry

        access.register(media.cache_control_for_issue_files)
        renditions.register_source(media.cover_renditions)
        dashboard.register("admin/issues/dashboard.html", issues_panel, order=10)
        appearances.register_merge_effect(services.issues_with_masthead_changed_by_merge)
        appearances.register(
            "masthead_entries",
            person_field="person",
            visible=lambda user: (
                MastheadEntry.objects.filter(issue__in=Issue.objects.visible_to(user))
                .select_related("issue")
                .order_by("-issue__year", "-issue__number", "position")
            ),
            order=20,
        )
