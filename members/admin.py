import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse

from security.audit import object_label
from workflow.admin import HistoryAdmin

from .appearances import changed_by_merge
from .models import Person
from .services import merge_reason, person_merge


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="保留的人物",
        widget=forms.RadioSelect,
        help_text="其他人物的署名、编委会职务和工作动态都将转到此人名下，然后删除其他人物。",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = people


class PersonForm(forms.ModelForm):
    """A rename prints the new name under every byline and 编委会 seat of the person: for
    published (or scheduled) content that is a change readers see, allowed only to who
    may change that content (``refused``, set by ``PersonAdmin.get_form``)."""

    refused = staticmethod(lambda content: [])

    class Meta:
        model = Person
        fields = ["name", "position", "is_member", "sector", "party", "bio"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        stored = self.instance
        if stored.pk is None or name == stored.name:
            return name
        renamed = copy.copy(stored)
        renamed.name = name
        self.renamed_content = changed_by_merge(target=renamed, others=[stored])
        refused = self.refused(self.renamed_content)
        if refused:
            titles = "、".join(f"《{obj}》" for obj in refused)
            raise forms.ValidationError(
                f"不能改名：“{stored.name}”的名字印在{titles}上（署名或编委会），"
                "这些内容已发布（或定时发布），改名会改变读者看到的内容，"
                "只有有发布权限的人（主编）可以修改。"
            )
        return name


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    form = PersonForm
    list_display = ["name", "position", "is_member", "sector", "party", "byline_count"]
    list_filter = ["is_member", "sector", "party"]
    search_fields = ["name", "position", "authorships__byline_title"]
    actions = ["merge_people"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        def refused(content):
            return [item for item in content if not self.may_change(request, item)]

        return type(form.__name__, (form,), {"refused": staticmethod(refused)})

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The audit names each piece of content whose printed name the rename changed.
        for content in getattr(form, "renamed_content", []):
            reason = f"人物改名：{form.initial.get('name')} → {obj.name}"
            self.admin_for(content).log_change(request, content, reason)

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(byline_total=Count("authorships", distinct=True))
        )

    @admin.display(description="署名次数", ordering="byline_total")
    def byline_count(self, obj):
        return obj.byline_total

    @admin.action(description="合并所选人物（同一人的重复记录）", permissions=["merge"])
    def merge_people(self, request, queryset):
        """Merging deletes people: it needs the delete permission as well as change, on
        the confirmation page and on its POST alike (both come through this action).
        A merge that changes what content prints (a byline naming another person) is a
        change to that content, allowed only to who may change it in its own admin: an
        article readers see, only who may publish it."""
        if not self.has_merge_permission(request):
            raise PermissionDenied
        people = queryset.order_by("pk")
        if people.count() < 2:
            self.message_user(request, "请至少选择两个人物再合并。", messages.WARNING)
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None, people=people)
        if form.is_valid():
            target = form.cleaned_data["target"]
            others = [p for p in people if p.pk != target.pk]
            with transaction.atomic():
                changed = changed_by_merge(target=target, others=others)
                refused = [obj for obj in changed if not self.may_change(request, obj)]
                if refused:
                    titles = "、".join(f"《{obj}》" for obj in refused)
                    self.message_user(
                        request,
                        f"不能合并：合并会改变{titles}上印出的人名（署名或编委会），"
                        "这些内容已发布（或定时发布），只有有发布权限的人（主编）可以修改。"
                        "未作任何更改。",
                        messages.ERROR,
                    )
                    return None
                self.log_merge(request, target, others, changed)
                merged = person_merge(target=target, others=others, by=request.user)
            self.message_user(request, f"已将 {merged} 个人物合并到“{target.name}”。")
            return None
        return TemplateResponse(
            request,
            "admin/members/person/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "合并人物",
                "opts": self.model._meta,
                "form": form,
                "people": people.annotate(byline_total=Count("authorships", distinct=True)),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def has_merge_permission(self, request) -> bool:
        """Both change and delete: an action's ``permissions`` list is any-of."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def may_change(self, request, obj) -> bool:
        """May the user change ``obj`` in its own admin (the workflow's rule: published
        content only with the publish permission)?"""
        try:
            model_admin = self.admin_site.get_model_admin(type(obj))
        except NotRegistered:
            opts = obj._meta
            return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        return model_admin.has_change_permission(request, obj)

    def log_merge(self, request, target, others, changed) -> None:
        """The audit of the merge: one record per person (like a bulk deletion) and one
        per content object whose printed name changed. The history records the deletions,
        the target's new fields and each changed object's rows by itself."""
        reason = merge_reason(target=target, others=others)
        for other in others:
            self.log_event(request, other, action="delete", merged_into=object_label(target))
        self.log_event(request, target, action="merge", merged=[object_label(p) for p in others])
        for obj in changed:
            self.admin_for(obj).log_change(request, obj, reason)

    def admin_for(self, obj):
        try:
            return self.admin_site.get_model_admin(type(obj))
        except NotRegistered:
            return self
