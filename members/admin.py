from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse

from security.audit import object_label
from workflow.admin import HistoryAdmin

from .models import Person
from .services import person_merge


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


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "position", "is_member", "sector", "party", "byline_count"]
    list_filter = ["is_member", "sector", "party"]
    search_fields = ["name", "position", "authorships__byline_title"]
    actions = ["merge_people"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(byline_total=Count("authorships", distinct=True))
        )

    @admin.display(description="署名次数", ordering="byline_total")
    def byline_count(self, obj):
        return obj.byline_total

    @admin.action(description="合并所选人物（同一人的重复记录）", permissions=["change"])
    def merge_people(self, request, queryset):
        people = queryset.order_by("pk")
        if people.count() < 2:
            self.message_user(request, "请至少选择两个人物再合并。", messages.WARNING)
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None, people=people)
        if form.is_valid():
            target = form.cleaned_data["target"]
            others = [p for p in people if p.pk != target.pk]
            merged = person_merge(target=target, others=list(people))
            # The history records the deletions and the target's new fields by itself;
            # the audit gets one record per person, like a bulk deletion.
            for other in others:
                self.log_event(request, other, action="delete", merged_into=object_label(target))
            self.log_event(
                request, target, action="merge", merged=[object_label(p) for p in others]
            )
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
