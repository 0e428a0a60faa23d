from functools import partial

from django.contrib import admin
from django.db import models
from django.urls import path
from django.utils.html import format_html

from articles.models import Article, Highlight, NewsItem
from uploads.admin import UploadSavingAdminMixin
from workflow.admin import FollowsParentLockInline, VersionedInlineForm, WorkflowAdmin

from . import adminhooks
from .checks import issue_check
from .models import Issue, MastheadEntry
from .services import issue_publish, issue_redraft, issue_reschedule, issue_submit, issue_withdraw


class ArticleInline(FollowsParentLockInline, admin.TabularInline):
    """The 目录: every entry with its column and pages, editable in print order. The
    state of an entry changes only on its own page (提交审核, 发布 …)."""

    model = Article
    form = VersionedInlineForm
    fields = ["toc_position", "column", "title", "start_page", "end_page", "status"]
    readonly_fields = ["status"]
    ordering = ["toc_position"]
    extra = 0
    show_change_link = True
    verbose_name = "目录条目"
    verbose_name_plural = "目录"

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_live and article.issue.is_live else None

    # On a published issue the 目录 is read-only, for the 主编 too: its entries are
    # live articles, corrected on their own pages as 修改稿, and a 修改稿 of the issue
    # does not hold them.
    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_released) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_released) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_released) and super().has_delete_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            fields = [*fields, "lock_version"]
        return fields


class MastheadInline(FollowsParentLockInline, admin.TabularInline):
    model = MastheadEntry
    fields = ["position", "role", "person"]
    autocomplete_fields = ["person"]
    extra = 0


class HighlightInline(FollowsParentLockInline, admin.TabularInline):
    model = Highlight
    fields = ["position", "article", "text"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this issue's articles as 本期导读.
        if db_field.name == "article":
            issue_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Article.objects.filter(issue_id=issue_id).order_by("toc_position")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NewsItemInline(FollowsParentLockInline, admin.StackedInline):
    model = NewsItem
    fields = [("date", "end_date", "part_of_day", "position"), "text", "people"]
    autocomplete_fields = ["people"]
    extra = 0
    classes = ["collapse"]


@admin.register(Issue)
class IssueAdmin(UploadSavingAdminMixin, WorkflowAdmin):
    list_display = [
        "cover_thumbnail",
        "__str__",
        "pub_date",
        "status",
        "published_at",
        "visibility",
        "article_count",
    ]
    list_display_links = ["cover_thumbnail", "__str__"]
    list_filter = ["year", "status", "visibility"]
    search_fields = ["year", "number", "total_number"]
    ordering = ["-year", "-number"]
    inlines = [ArticleInline, MastheadInline, HighlightInline, NewsItemInline]
    # A website typed without a scheme means https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("year", "number", "total_number"),
                    "pub_date",
                    "cover",
                    "pdf",
                    ("edition_status", "page_one"),
                ]
            },
        ),
        ("发布", {"fields": ["status", "published_at", "visibility"]}),
        (
            "联系方式",
            {
                "fields": [("host", "website"), "address", ("email", "phone", "postcode")],
                "classes": ["collapse"],
            },
        ),
    ]
    workflow_services = {
        "submit": issue_submit,
        "publish": issue_publish,
        "withdraw": issue_withdraw,
        "reschedule": issue_reschedule,
        "redraft": issue_redraft,
    }
    preview_url_name = "preview:issue"

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "edition_status"]

    @admin.display(description="电子版")
    def edition_status(self, obj):
        """Where the pages of the PDF stand (the edition app renders them in the
        background): 等待生成, 已生成12页…, 生成失败：<reason>; the edition app says
        more (how long a rendering has run, a task that stopped) through the hook."""
        if obj is None or not obj.pdf:
            return "上传PDF后自动生成。"
        display = adminhooks.DISPLAYS.get("edition_status")
        if display is not None:
            return display(obj)
        return obj.edition_note or obj.get_edition_state_display()

    # What the apps above add (issues.adminhooks, filled in their AppConfig.ready()).
    @property
    def actions(self):
        return [*WorkflowAdmin.actions, *adminhooks.ACTIONS]

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        extra = [
            path(
                f"<path:object_id>/{route}",
                self.admin_site.admin_view(partial(view, self)),
                name=f"{info[0]}_{info[1]}_{name}",
            )
            for route, view, name in adminhooks.VIEWS
        ]
        return [*extra, *super().get_urls()]

    def workflow_context(self, request, obj):
        return {
            **super().workflow_context(request, obj),
            "publication_check": issue_check(obj),
            "workflow_tools": [
                button for link in adminhooks.LINKS for button in link(self, request, obj)
            ],
        }

    def transition_confirm_context(self, request, obj, transition):
        if transition.name != "publish":
            return {}
        return {
            "publication_check": issue_check(obj),
            "details_template": "admin/issues/publish_entries.html",
            "entries": obj.articles.to_be_published()
            .select_related("column")
            .order_by("toc_position"),
        }

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description="文章数", ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.display(description="封面")
    def cover_thumbnail(self, obj):
        if not obj.cover:
            return format_html('<span style="color:#999">{}</span>', "无封面")
        return format_html(
            '<img src="{}" alt="{}" style="height:60px;width:auto;border:1px solid #ddd">',
            obj.cover.url,
            f"{obj}封面",
        )
