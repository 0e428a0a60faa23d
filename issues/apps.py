from django.apps import AppConfig


class IssuesConfig(AppConfig):
    name = "issues"
    verbose_name = "期刊"

    def ready(self):
        # The lower layers' registries (docs/architecture.md): who may read an issue's
        # files, its covers' renditions, its dashboard panel, a person's 编委会 seats.
        from articles import scopes
        from members import appearances
        from pagecache import scopes as pagecache_scopes
        from uploads import access, renditions
        from workflow import dashboard

        from . import media, services
        from .dashboard import issues_panel
        from .models import Issue, IssueEvent, MastheadEntry

        # Which cached pages a write to each table makes stale (pagecache.scopes, the
        # scopes' names in articles.scopes). An issue's row: its own pages and 往期回顾
        # whatever changed; the lists across issues when anything but its contact block,
        # files and dates changed (its state, visibility, year, number…).
        pagecache_scopes.register(
            Issue,
            scopes=lambda row: (
                (scopes.issue(row["id"]), scopes.ISSUES) if "id" in row else (scopes.ISSUES,)
            ),
            moved=(scopes.ARTICLES, scopes.NEWS),
            in_place=(
                "version",
                "updated_at",
                "pub_date",
                "cover",
                "pdf",
                "host",
                "address",
                "email",
                "phone",
                "postcode",
                "website",
                # 电子版: shown on the issue's own pages only (阅读电子版, 查看原版).
                "page_one",
                "edition_pdf",
                "edition_state",
                "edition_note",
                "detected_page_one",
            ),
        )
        pagecache_scopes.register(
            MastheadEntry,
            scopes=lambda row: (scopes.issue(row["issue_id"]), scopes.person(row["person_id"])),
        )
        pagecache_scopes.register(IssueEvent, scopes=lambda row: ())
        scopes.register_history(Issue)
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
            scopes=lambda seat: (scopes.issue(seat.issue_id),),
            lists=(scopes.ARTICLES,),  # an issue's visibility changes (they move lists)
        )
