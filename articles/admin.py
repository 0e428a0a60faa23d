from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from workflow import stages
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

    def covering(self, obj):
        # The issue's sign-offs cover what readers see of its articles.
        return [obj.issue] if obj.issue_id else []

    def released(self, obj):
        # Readers see an article only with its issue: while the issue is unpublished its
        # entries are still being prepared, whatever their own state.
        return obj.is_released and obj.issue.is_released

    @admin.display(description="页码", ordering="start_page")
    def pages(self, obj):
        return obj.pages_label

    # --- 审稿单: the printable review sheet an office files ------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/review-sheet/",
                self.admin_site.admin_view(self.review_sheet_view),
                name="articles_article_review_sheet",
            ),
            *super().get_urls(),
        ]

    def extra_links(self, request, obj):
        return [("审稿单", reverse("admin:articles_article_review_sheet", args=[obj.pk]))]

    def review_sheet_view(self, request, object_id):
        """The 审稿单 of one article, an A4 page to print and sign
        (``admin/articles/article_review_sheet.html``): the article, then each stage with
        the sign-off that counts for the current version (blank to fill in by hand)."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("没有这篇文章。")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        bylines = article.authorships.select_related("person").order_by("position", "pk")
        return TemplateResponse(
            request,
            "admin/articles/article_review_sheet.html",
            {
                "article": article,
                "bylines": bylines,
                "review_states": stages.review_state(article),
                "printed_at": timezone.now(),
            },
        )


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
