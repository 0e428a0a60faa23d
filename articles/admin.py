from django.contrib import admin

from workflow.admin import (
    FollowsParentLockInline,
    HistoryAdmin,
    IssuePartAdminMixin,
    WorkflowAdmin,
)

from .models import Article, Authorship, Column, Highlight, NewsItem
from .services import (
    article_publish,
    article_redraft,
    article_reschedule,
    article_submit,
    article_withdraw,
)


class AuthorshipInline(FollowsParentLockInline, admin.TabularInline):
    model = Authorship
    fields = ["position", "person", "byline_title", "role"]
    autocomplete_fields = ["person"]
    extra = 0
    verbose_name_plural = "署名（作者、发言人、反映人）"


@admin.register(Column)
class ColumnAdmin(HistoryAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]


@admin.register(Article)
class ArticleAdmin(WorkflowAdmin):
    list_display = ["title", "issue", "column", "pages", "toc_position", "status", "published_at"]
    list_filter = ["issue__year", "issue", "column", "status"]
    list_select_related = ["issue", "column"]
    search_fields = ["title", "kicker", "subtitle", "authorships__person__name"]
    autocomplete_fields = ["issue"]
    inlines = [AuthorshipInline]
    ordering = ["-issue__year", "-issue__number", "toc_position"]
    fieldsets = [
        (None, {"fields": ["issue", "column", "toc_position"]}),
        ("标题", {"fields": ["kicker", "title", "subtitle", "toc_title"]}),
        ("出处", {"fields": [("source", "event_date"), "author_note"]}),
        ("正文", {"fields": ["abstract", "editors_note", "body"]}),
        ("版面", {"fields": [("start_page", "end_page"), "continuation_pages"]}),
        ("发布", {"fields": ["status", "published_at"]}),
    ]
    workflow_services = {
        "submit": article_submit,
        "publish": article_publish,
        "withdraw": article_withdraw,
        "reschedule": article_reschedule,
        "redraft": article_redraft,
    }
    preview_url_name = "preview:article"

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        published = obj is not None and obj.is_released
        if published and not self.has_publish_permission(request):
            # Moving a published article into a published issue would publish it.
            readonly = [*readonly, "issue"]
        return readonly

    def released(self, obj):
        # Readers see an article only with its issue: while the issue is unpublished its
        # entries are still being prepared, whatever their own state.
        return obj.is_released and obj.issue.is_released

    @admin.display(description="页码", ordering="start_page")
    def pages(self, obj):
        return obj.pages_label


@admin.register(NewsItem)
class NewsItemAdmin(IssuePartAdminMixin, HistoryAdmin):
    list_display = ["date_label", "short_text", "issue"]
    list_filter = ["issue__year", "issue"]
    list_select_related = ["issue"]
    search_fields = ["text"]
    date_hierarchy = "date"
    autocomplete_fields = ["issue", "people", "article"]
    ordering = ["-date", "position"]

    @admin.display(description="内容")
    def short_text(self, obj):
        return obj.text[:60]


@admin.register(Highlight)
class HighlightAdmin(IssuePartAdminMixin, HistoryAdmin):
    list_display = ["__str__", "issue", "article", "position"]
    list_select_related = ["issue", "article"]
    autocomplete_fields = ["issue", "article"]
