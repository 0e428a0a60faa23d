"""The workflow in the admin, shared by the issue and article pages.

- The state (``status``) and the publication time are never form fields: they change
  only through the transition buttons and actions (发布, 改期 …), which call the services
  and are recorded. A crafted POST that sets them is ignored.
- Content that readers can see (or will at its scheduled time) is read-only to whoever
  may not publish: an 编辑 cannot change published text without the 主编.
- Optimistic locking: the form carries the version it was opened at (``lock_version``);
  a save of an older version is refused and the newer content is kept.
- Restoring a version from history (simple-history's revert) brings back the content
  only: the state and every field the user could not edit by hand keep their current
  values, so restoring cannot publish.
- Live content (a published or scheduled article or issue) is edited as a 修改稿
  (``revision_changeform``), whose own version the form carries; 版本对比 compares any two
  versions (``workflow.versions``) and brings an old one back as a new 修改稿.
- A save that voids the sign-offs of the piece itself or of the issue covering it says so.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from security.audit import AuditedAdmin

from . import review, revisions, stages, versions
from .history import ReadableHistoryContextHelper
from .models import (
    EditConflict,
    ReviewStage,
    SignOff,
    Status,
    claim_version,
    conflict_message,
)
from .transitions import TRANSITIONS, WorkflowError, available_transitions, ensure_allowed, may


class LockVersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        # Never a change by itself: an untouched inline row stays untouched.
        return False


class VersionedModelForm(forms.ModelForm):
    """A model form that remembers which version of the object it was opened at."""

    lock_version = LockVersionField(required=False, min_value=0)
    # A change form writes every field back, edited or not, so it is checked even when
    # the editor changed nothing; an inline row is saved only when changed.
    check_unchanged = True

    class Meta:
        # Shown under the two read-only workflow fields.
        help_texts = {
            "status": "用本页右上方的按钮改变：提交审核、发布、撤回、退回草稿。",
            "published_at": "由“发布”或“改期”设定；将来的时间即为定时发布，到时读者自动可见。",
        }

    # Editing a 修改稿 (``WorkflowAdmin.revision_changeform``): the version of the
    # revision the form was opened at (0: none yet) and the refusal if it moved since.
    revision_version = LockVersionField(required=False, min_value=0)
    revision_token: int | None = None
    revision_conflict: str = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["lock_version"].initial = self.instance.version
        self.fields["revision_version"].initial = self.revision_token

    def versioned(self) -> bool:
        return (
            self.instance.pk is not None
            and not self.instance._state.adding
            and (self.check_unchanged or self.has_changed())
        )

    def clean(self):
        cleaned = super().clean()
        opened_at = cleaned.get("lock_version")
        if self.versioned() and opened_at is not None and opened_at != self.instance.version:
            raise ValidationError(conflict_message(self.instance), code="edit_conflict")
        if self.revision_token is not None:
            opened_revision = cleaned.get("revision_version")
            if opened_revision is None or opened_revision != self.revision_token:
                raise ValidationError(self.revision_conflict, code="edit_conflict")
        return cleaned

    def claim(self):
        """Compare-and-increment the version; raises EditConflict if it moved since
        :meth:`clean` (two saves racing)."""
        if not self.versioned():
            return
        restoring = getattr(self.instance, "_history", None) is not None
        if restoring and not type(self.instance)._default_manager.filter(pk=self.instance.pk):
            return  # a deleted object restored from history: no newer version to protect
        claim_version(self.instance, self.cleaned_data.get("lock_version"))


class VersionedInlineForm(VersionedModelForm):
    check_unchanged = False

    def save(self, commit=True):
        self.claim()
        return super().save(commit)


class TransitionForm(forms.Form):
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="记入流程记录，如审核意见或撤回原因。",
    )
    at = forms.SplitDateTimeField(
        label="发布时间",
        required=False,
        widget=widgets.AdminSplitDateTime,
        help_text="北京时间。留空则立即发布；填写将来的时间即为定时发布，到时读者自动可见，无需再操作。",
    )

    def __init__(self, *args, transition, **kwargs):
        super().__init__(*args, **kwargs)
        if transition.name == "reschedule":
            self.fields["at"].required = True
            self.fields["at"].label = "新的发布时间"
            self.fields["at"].help_text = "北京时间。到时读者自动可见。"
        elif transition.name != "publish":
            del self.fields["at"]
        if transition.name == "withdraw":
            self.fields["note"].label = "撤回原因"


class ReviewForm(forms.Form):
    """签发 or 退回 one stage: the 审稿意见 and the version the reviewer read."""

    opinion = forms.CharField(
        label="审稿意见",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # What the reviewer read of the parts a sign-off covers (an issue's articles):
    # ``stages.fingerprint``, empty for a piece without parts.
    read = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, returning: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if returning:
            self.fields["opinion"].required = True
            self.fields["opinion"].help_text = "说明要修改什么；退回后回到草稿，各审级须重新签发。"
        else:
            self.fields["opinion"].help_text = "记入审稿单。"


REVIEW_ACTIONS = {"sign": "签发", "return": "退回"}


class HistoryAdmin(AuditedAdmin, SimpleHistoryAdmin):
    """Admin of a model with a history (simple-history): the 历史 page lists its versions,
    who saved each and what changed; the security audit records the same saves as the
    admin reports them (``AuditedAdmin``). What changed reads as text, not HTML, with
    times in Beijing time (``workflow.history``)."""

    object_history_list_template = "admin/workflow/object_history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may *view* history POST a revert; restoring is
        # a change and needs the change permission on the object as it is now.
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            allowed = (
                self.has_change_permission(request, current)
                if current is not None
                else self.has_add_permission(request)
            )
            if not allowed:
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        # The reason the 历史 list shows beside who and when.
        restored = getattr(obj, "_history", None)
        if restored is not None:
            when = timezone.localtime(restored.history_date).strftime("%Y-%m-%d %H:%M")
            obj._change_reason = f"恢复到 {when} 的版本"
        else:
            obj._change_reason = "后台修改" if change else "后台新建"
        super().save_model(request, obj, form, change)


class WorkflowAdmin(HistoryAdmin):
    """Base admin of a Publishable model. Subclasses set ``workflow_services``:
    transition name → service function taking ``<model_name>=obj, by=, note=`` (and
    ``at=`` for 发布 and 改期), and ``preview_url_name``."""

    form = VersionedModelForm
    change_form_template = "admin/workflow/change_form.html"
    actions = ["submit_selected", "publish_selected", "withdraw_selected", "redraft_selected"]
    workflow_services: dict = {}
    preview_url_name = ""

    # --- permissions -------------------------------------------------------------------

    def publish_permission(self) -> str:
        return f"{self.opts.app_label}.publish_{self.opts.model_name}"

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(self.publish_permission())

    def is_released(self, obj) -> bool:
        """Readers see ``obj`` now or will at its scheduled time. A version shown from
        history is judged by the object as it is now."""
        if getattr(obj, "_history", None) is not None:
            obj = type(obj)._default_manager.filter(pk=obj.pk).first()
            if obj is None:
                return False
        return self.released(obj)

    def released(self, obj) -> bool:
        return obj.is_released

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is not None and self.is_released(obj):
            # On its own change page (``_revising``), an edit of live content is kept as
            # a 修改稿 and waits for review; anywhere else (a merge of people, an inline)
            # live content stays the 主编's.
            revising = getattr(request, "_revising", False) and self.revisions_enabled()
            return revising or self.has_publish_permission(request)
        return True

    def revisions_enabled(self) -> bool:
        return revisions.supports_revisions(self.model)

    def get_readonly_fields(self, request, obj=None):
        # Set only by 发布 and 改期, which check the permission and keep the articles
        # of an issue in step with it.
        readonly = [*super().get_readonly_fields(request, obj), "status", "published_at"]
        if obj is not None and self.revisions_enabled() and self.is_released(obj):
            # Live content is edited through its 修改稿, which keeps only the revision's
            # fields: any other field the form offered would be dropped without a word.
            kept = set(self.model.revision_fields)
            readonly += [
                field.name
                for field in self.model._meta.concrete_fields
                if field.editable
                and not field.primary_key
                and field.name not in kept
                and field.name not in readonly
            ]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        hidden = ["lock_version"]
        if getattr(request, "_revision_token", None) is not None:
            hidden.append("revision_version")
        first = (name, {**options, "fields": [*options["fields"], *hidden]})
        return [first, *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        token = getattr(request, "_revision_token", None)
        if token is None:
            return form
        attrs = {"revision_token": token, "revision_conflict": request._revision_conflict}
        return type(form.__name__, (form,), attrs)

    def covering(self, obj) -> list:
        """The pieces whose sign-offs cover ``obj`` besides its own (an article: its
        issue), so that a save voiding them says so."""
        return []

    # --- saving: optimistic locking, restoring versions ----------------------------------

    def save_model(self, request, obj, form, change):
        revising = getattr(request, "_revising", False)
        signed_before = list(stages.counted(obj)) if change and not revising else []
        if not revising:
            request._covering_signed = signed_of(self.covering(obj))
        if change:
            form.claim()
        if getattr(obj, "_history", None) is not None:
            self.keep_current_state(obj, form)
        super().save_model(request, obj, form, change)
        if signed_before:
            names = "、".join(f"{s.stage}（{s.user_label}）" for s in signed_before)
            self.message_user(
                request,
                f"此次修改使已有的签发失效：{names}。修改后的版本须从第一个审级重新签发。",
                messages.WARNING,
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_voided(self, request, getattr(request, "_covering_signed", []))

    def keep_current_state(self, obj, form):
        """``obj`` is a version restored from history: every field the form did not let
        the user edit (the state, the publication time, an 编辑's read-only fields) keeps
        its current value. A deleted object restored comes back as a draft."""
        current = type(obj)._default_manager.filter(pk=obj.pk).first()
        if current is None:
            obj.status, obj.published_at = Status.DRAFT, None
            return
        for field in obj._meta.concrete_fields:
            if field.primary_key or field.name in form.fields or field.name == "version":
                continue
            setattr(obj, field.attname, getattr(current, field.attname))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is not None and self.revisions_enabled():
            live = self.get_object(request, unquote(object_id))
            if live is not None and self.is_released(live):
                return self.revision_changeform(request, live, object_id, form_url, extra_context)
        return self.plain_changeform(request, object_id, form_url, extra_context)

    def plain_changeform(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Lost the race between validating and saving: the admin saves in one
            # transaction, so nothing was written. Validating again reports the conflict
            # on the form, with the editor's text still in it.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is not None and self.revisions_enabled() and self.is_released(current):
                # Restoring would change what readers see without review.
                self.message_user(
                    request,
                    "已发布的内容不能直接恢复旧版本：请在“版本对比”中将该版本“恢复为修改稿”，经三审后发布。",
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict as conflict:
            self.message_user(request, str(conflict), messages.ERROR)
            return HttpResponseRedirect(request.path)

    # --- the change page: buttons, state, records ----------------------------------------

    def transition_url(self, obj, name) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_workflow", args=[obj.pk, name])

    def preview_url(self, obj) -> str:
        return reverse(self.preview_url_name, args=[obj.pk]) if self.preview_url_name else ""

    def is_live(self, obj) -> bool:
        """Readers can open ``obj`` now: asked of the QuerySet that decides it."""
        return self.model._default_manager.published().filter(pk=obj.pk).exists()

    def view_on_site(self, obj):
        # The readers' page only once they can see it; before, the 预览 button.
        return obj.get_absolute_url() if self.is_live(obj) else None

    def review_url(self, obj, action) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_review", args=[obj.pk, action])

    def review_context(self, request, obj) -> dict:
        """The sign-offs (签发记录) and, for a reviewer of the stage waiting, 签发/退回."""
        states = stages.review_state(obj)
        waiting = stages.current_stage(obj)
        buttons = []
        if waiting is not None and stages.may_sign(request.user, waiting):
            buttons = [
                (f"签发（{waiting}）", "sign", self.review_url(obj, "sign")),
                ("退回", "return", self.review_url(obj, "return")),
            ]
        return {
            "review_states": states,
            "review_waiting": waiting,
            "review_buttons": buttons,
            "review_voided": [
                stages.voided_message(state, obj)
                for state in states
                if state.voided is not None and obj.status == Status.REVIEW
            ],
            "review_records": obj_sign_offs(obj),
        }

    def extra_links(self, request, obj) -> list[tuple[str, str]]:
        """More buttons on the page, (label, url): the article's 审稿单."""
        return []

    def workflow_context(self, request, obj) -> dict:
        return {
            **self.review_context(request, obj),
            "workflow_links": self.extra_links(request, obj),
            "versions_url": self.versions_url(obj),
            "revisions_enabled": self.revisions_enabled(),
            "workflow_live": self.is_live(obj),
            "workflow_buttons": [
                (t, self.transition_url(obj, t.name))
                for t in available_transitions(obj, request.user)
            ],
            "workflow_events": obj.events.select_related("user")[:100],
            "workflow_scheduled": obj.is_scheduled,
            "preview_url": self.preview_url(obj)
            if request.user.is_staff
            and request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")
            else "",
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None:
            context.update(self.workflow_context(request, obj))
        return super().change_view(request, object_id, form_url, context)

    # --- transitions: one object from its page, several from the list --------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/workflow/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{info[0]}_{info[1]}_workflow",
            ),
            path(
                "<path:object_id>/review/<slug:action>/",
                self.admin_site.admin_view(self.review_view),
                name=f"{info[0]}_{info[1]}_review",
            ),
            path(
                "<path:object_id>/versions/",
                self.admin_site.admin_view(self.versions_view),
                name=f"{info[0]}_{info[1]}_versions",
            ),
            path(
                "<path:object_id>/versions/<slug:key>/restore/",
                self.admin_site.admin_view(self.version_restore_view),
                name=f"{info[0]}_{info[1]}_version_restore",
            ),
            path(
                "<path:object_id>/revision/<slug:action>/",
                self.admin_site.admin_view(self.revision_view),
                name=f"{info[0]}_{info[1]}_revision",
            ),
            *super().get_urls(),
        ]

    def run_transition(self, request, obj, name, form):
        """Call the service for ``name``; returns the message for the editor."""
        kwargs = {self.opts.model_name: obj, "by": request.user}
        kwargs["note"] = form.cleaned_data["note"]
        if "at" in form.cleaned_data:
            kwargs["at"] = form.cleaned_data["at"]
        try:
            self.workflow_services[name](**kwargs)
        except WorkflowError as refused:
            self.log_event(request, obj, action=name, result="refused", reason=str(refused))
            raise
        # The 流程记录 holds the step for editors; this is the security audit's line.
        fields = {"note": kwargs["note"]}
        if obj.is_released:
            fields["publish_at"] = obj.published_at
        self.log_event(request, obj, action=name, **fields)
        if obj.is_scheduled:
            when = timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            verb = "已改期" if name == "reschedule" else "已定时发布"
            return f"{verb}{obj._meta.verbose_name}“{obj}”：{when}起读者可见。"
        return f"{obj._meta.verbose_name}“{obj}”已{TRANSITIONS[name].label}。"

    def transition_confirm_context(self, request, obj, transition) -> dict:
        """Extra context of the confirmation page: the issue adds its check
        (``publication_check``) and its entries (``details_template``, included)."""
        return {}

    def transition_view(self, request, object_id, name):
        transition = TRANSITIONS.get(name)
        obj = self.get_object(request, unquote(object_id))
        if transition is None or obj is None:
            raise Http404("没有这个对象或操作。")
        if not self.has_view_or_change_permission(request, obj) or not may(
            request.user, transition, self.model
        ):
            raise PermissionDenied
        change_url = self.change_url(obj)
        refusal = ""
        try:
            ensure_allowed(obj, transition)
            if transition.name == "publish":
                stages.ensure_signed(obj)
        except WorkflowError as not_allowed:
            refusal = str(not_allowed)
        initial = {}
        if obj.is_scheduled:
            initial["at"] = timezone.localtime(obj.published_at)
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            transition=transition,
        )
        error = ""
        if request.method == "POST" and form.is_valid():
            try:
                self.message_user(request, self.run_transition(request, obj, name, form))
                return HttpResponseRedirect(change_url)
            except WorkflowError as refused:
                error = str(refused)
        context = {
            **self._confirmation_context(
                request, obj, title=f"{transition.label}{self.opts.verbose_name}", form=form,
                error=error,
            ),
            "transition": transition,
            "from_label": Status(obj.status).label,
            "to_label": Status(transition.target).label,
            "refusal": refusal,
            **self.transition_confirm_context(request, obj, transition),
        }  # fmt: skip
        return TemplateResponse(request, "admin/workflow/transition_confirm.html", context)

    def review_view(self, request, object_id, action):
        """签发 or 退回 the stage ``obj`` waits for: a confirmation page with the 审稿意见,
        then the service (``workflow.review``), which refuses with its reason."""
        obj = self.get_object(request, unquote(object_id))
        if action not in REVIEW_ACTIONS or obj is None:
            raise Http404("没有这个对象或操作。")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        change_url = self.change_url(obj)
        waiting = stages.current_stage(obj)
        returning = action == "return"
        form = ReviewForm(
            request.POST if request.method == "POST" else None,
            initial={"version": obj.version, "read": stages.fingerprint(stages.covered_parts(obj))},
            returning=returning,
        )
        error = ""
        if request.method == "POST" and form.is_valid():
            opinion = form.cleaned_data["opinion"]
            try:
                if returning:
                    done = review.send_back(obj, by=request.user, opinion=opinion)
                    message = f"已{done.stage}退回“{obj}”，已回到草稿。"
                else:
                    if waiting is None:
                        raise WorkflowError(f"{stages.describe(obj)}没有等待签发的审级。")
                    done = review.sign_off(
                        obj,
                        stage=waiting,
                        by=request.user,
                        opinion=opinion,
                        version=form.cleaned_data["version"],
                        read=form.cleaned_data["read"],
                    )
                    message = f"已签发{done.stage}：“{obj}”（第 {done.version} 版）。"
                self.log_change(request, obj, message)
                self.message_user(request, message)
                return HttpResponseRedirect(change_url)
            except WorkflowError as refused:
                error = str(refused)
        verb = REVIEW_ACTIONS[action]
        context = {
            **self._confirmation_context(
                request, obj, title=f"{verb}{waiting or ''}", form=form, error=error
            ),
            "verb": verb,
            "stage": waiting,
            "review_states": stages.review_state(obj),
            "review_records": obj_sign_offs(obj),
        }
        return TemplateResponse(request, "admin/workflow/review_confirm.html", context)

    def change_url(self, obj) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])

    def _confirmation_context(self, request, obj, *, title, form=None, error="") -> dict:
        """What every confirmation page of the workflow shows (a step, a sign-off, a
        revision's step, a restore): the admin's frame, the piece, the form, the refusal."""
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": str(obj),
            "opts": self.opts,
            "original": obj,
            "form": form,
            "media": self.media + form.media if form is not None else self.media,
            "error": error,
            "change_url": self.change_url(obj),
        }

    # --- versions: compare any two, bring one back ----------------------------------------

    def versions_url(self, obj) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_versions", args=[obj.pk])

    def versions_view(self, request, object_id):
        """版本对比 (``admin/workflow/versions.html``): two versions picked from every one
        the piece has (``workflow.versions``), compared character by character; each
        version with the link that brings it back as a new 修改稿."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("没有这个对象。")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        found = versions.versions(obj)
        by_key = {v.key: v for v in found}
        b = by_key.get(request.GET.get("b") or ("draft" if "draft" in by_key else "live"))
        a = by_key.get(request.GET.get("a", ""))
        if a is None and "a" not in request.GET and b is not None:
            # By default the nearest older version that differs from the newer one.
            older = found[found.index(b) + 1 :]
            a = next((v for v in older if revisions.compare(self.model, v.data, b.data)), None)
            a = a or (older[-1] if older else b)
        if a is None or b is None:
            raise Http404("没有这个版本。")
        unrecorded = [
            str(self.model._meta.get_field(accessor).related_model._meta.verbose_name_plural)
            for accessor in getattr(self.model, "revision_relations", {})
            if a.data["relations"].get(accessor) is None
            or b.data["relations"].get(accessor) is None
        ]
        may_restore = self.may_restore(request, obj)
        context = {
            **self._confirmation_context(request, obj, title="版本对比"),
            "versions": found,
            "a": a,
            "b": b,
            "diffs": revisions.compare(self.model, a.data, b.data),
            "unrecorded": "、".join(unrecorded),
            "restore_label": "恢复为修改稿" if self.is_released(obj) else "恢复此版本",
            "restore_links": [
                (v, self.restore_url(obj, v.key) if may_restore and v.key != "live" else "")
                for v in found
            ],
        }
        return TemplateResponse(request, "admin/workflow/versions.html", context)

    def restore_url(self, obj, key) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_version_restore", args=[obj.pk, key])

    def may_restore(self, request, obj) -> bool:
        """Whoever may edit ``obj`` on its page: live content comes back as a 修改稿,
        which anyone who may change it may write (``has_change_permission``)."""
        before = getattr(request, "_revising", False)
        request._revising = True
        try:
            return self.has_change_permission(request, obj)
        finally:
            request._revising = before

    def version_restore_view(self, request, object_id, key):
        """Bring version ``key`` back: of live content as a new 修改稿 (which passes the
        review stages like any), of a draft onto the draft. A confirmation page shows
        what changes; the version token refuses a restore over a newer save."""
        obj = self.get_object(request, unquote(object_id))
        version = versions.find(obj, key) if obj is not None else None
        if version is None or key == "live":
            raise Http404("没有这个版本。")
        if not self.may_restore(request, obj):
            raise PermissionDenied
        live = self.is_released(obj)
        revision = revisions.pending(obj) if live else None
        data = versions.restorable(obj, version)
        token = (revision.version if revision else 0) if live else obj.version
        form = ReviewForm(
            request.POST if request.method == "POST" else None,
            initial={"version": token},
            returning=False,
        )
        del form.fields["opinion"]
        error = ""
        if request.method == "POST" and form.is_valid():
            opened = form.cleaned_data["version"]
            try:
                if live:
                    kept = revisions.save_draft(obj, data, by=request.user, expected=opened)
                    message = (
                        f"已将“{version.label}”恢复为修改稿（第 {kept.version} 版）：读者看到的"
                        "仍是已发布的版本；修改稿经三审签发后发布，读者才会看到。"
                    )
                else:
                    revisions.restore_draft(
                        obj, data, by=request.user, expected=opened,
                        reason=f"恢复旧版本：{version.label}",
                    )  # fmt: skip
                    message = f"已恢复“{version.label}”；已有的签发失效，须重新审稿。"
                self.log_change(request, obj, message)
                self.message_user(request, message, messages.WARNING)
                return HttpResponseRedirect(self.change_url(obj))
            except (WorkflowError, EditConflict) as refused:
                error = str(refused)
        if live:
            current = revision.data if revision else revisions.snapshot(obj)
            current_label = "现在的修改稿" if revision else "当前发布版本"
            explanation = (
                "恢复后，该版本成为修改稿，读者看到的仍是已发布的版本；"
                "修改稿须提交审核、经三审签发后发布。"
                + ("现在的修改稿将被替换，已有的签发失效。" if revision else "")
            )
        else:
            current, current_label = revisions.snapshot(obj), "当前版本"
            explanation = "恢复后，该版本成为当前的草稿内容，已有的签发失效，须重新审稿。"
        verb = "恢复为修改稿" if live else "恢复此版本"
        context = {
            **self._confirmation_context(request, obj, title=verb, form=form, error=error),
            "verb": verb,
            "version": version,
            "current_label": current_label,
            "explanation": explanation,
            "diffs": revisions.compare(self.model, current, data),
        }
        return TemplateResponse(request, "admin/workflow/version_restore.html", context)

    # --- 修改稿: editing live content ------------------------------------------------------

    def revision_changeform(self, request, live, object_id, form_url, extra_context):
        """The change page of live content edits its pending revision (修改稿): the
        revision is laid over the live row inside a transaction, the admin renders or
        saves as usual, the transaction is rolled back, and what was saved is kept as the
        revision. The live row, its history and what readers see never change here."""
        revision = revisions.pending(live)
        context = {**(extra_context or {}), **self.revision_context(request, live, revision)}
        request._revising = True
        # Optimistic locking of the revision: the form carries the version it showed.
        request._revision_token = revision.version if revision is not None else 0
        request._revision_conflict = revisions.conflict_message(live, revision)
        saved = None
        using = router.db_for_write(self.model)
        with transaction.atomic(using=using):
            if revision is not None:
                draft = type(live)._default_manager.get(pk=live.pk)
                revisions.apply(draft, revision.data)
                draft.save()
                revisions.apply_relations(draft, revision.data)
            response = self.plain_changeform(request, object_id, form_url, context)
            if getattr(request, "_revision_saved", False):
                saved = revisions.snapshot(type(live)._default_manager.get(pk=live.pk))
            elif hasattr(response, "render"):
                response.render()
            # Rolled back as a whole, not to a savepoint: no write of the overlay is ever
            # committed, so the page cache (which renews pages after a committed write)
            # keeps serving readers the live pages it holds.
            transaction.set_rollback(True, using=using)
        if saved is not None:
            if revision is None and saved == revisions.snapshot(live):
                self.message_user(request, "没有修改，未保存修改稿。")
            else:
                try:
                    kept = revisions.save_draft(
                        live, saved, by=request.user, expected=request._revision_token
                    )
                except revisions.RevisionConflict as conflict:
                    # Lost the race after validating: nothing was kept.
                    self.message_user(request, str(conflict), messages.ERROR)
                    return response
                self.message_user(
                    request,
                    f"已保存为修改稿（第 {kept.version} 版）：读者看到的仍是已发布的版本；"
                    "修改稿提交审核、经三审签发后发布，读者才会看到。",
                    messages.WARNING,
                )
        return response

    def response_change(self, request, obj):
        if getattr(request, "_revising", False):
            request._revision_saved = True
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def revision_url(self, obj, action) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_revision", args=[obj.pk, action])

    def revision_context(self, request, live, revision) -> dict:
        if revision is None:
            return {"revision": None}
        waiting = stages.current_stage(revision)
        buttons = []
        if revision.status == Status.DRAFT:
            buttons.append(("提交修改审核", self.revision_url(live, "submit")))
        elif waiting is not None and stages.may_sign(request.user, waiting):
            buttons.append((f"签发修改（{waiting}）", self.revision_url(live, "sign")))
            buttons.append(("退回修改", self.revision_url(live, "return")))
        elif waiting is None and self.has_publish_permission(request):
            buttons.append(("发布修改", self.revision_url(live, "publish")))
        return {
            "revision": revision,
            "revision_waiting": waiting,
            "revision_buttons": buttons,
            "versions_url": self.versions_url(live),
            "revision_diffs": revisions.compare(
                self.model, revisions.snapshot(live), revision.data
            ),
            "revision_states": stages.review_state(revision),
            "revision_records": obj_sign_offs(revision),
        }

    def revision_view(self, request, object_id, action):
        """提交审核, 签发, 退回 or 发布 the pending revision of a live object, after a
        confirmation page showing the comparison."""
        live = self.get_object(request, unquote(object_id))
        revision = revisions.pending(live) if live is not None else None
        if action not in {"submit", "sign", "return", "publish"} or revision is None:
            raise Http404("没有待处理的修改稿。")
        if not self.has_view_or_change_permission(request, live):
            raise PermissionDenied
        change_url = self.change_url(live)
        waiting = stages.current_stage(revision)
        reviewing = action in {"sign", "return"}
        form = ReviewForm(
            request.POST if request.method == "POST" else None,
            initial={"version": revision.version},
            returning=action == "return",
        )
        if not reviewing:
            del form.fields["opinion"]
        labels = {"submit": "提交修改审核", "sign": "签发", "return": "退回", "publish": "发布修改"}
        error = ""
        if request.method == "POST" and form.is_valid():
            opinion = form.cleaned_data.get("opinion", "")
            try:
                if form.cleaned_data["version"] != revision.version:
                    raise WorkflowError("修改稿在您打开此页之后已被修改，请重新查看后再操作。")
                if action == "submit":
                    revisions.submit(revision, by=request.user)
                    message = f"修改稿已提交审核，等待{waiting or stages.current_stage(revision)}。"
                elif action == "sign":
                    if waiting is None:
                        raise WorkflowError("修改稿没有等待签发的审级。")
                    review.sign_off(
                        revision, stage=waiting, by=request.user, opinion=opinion,
                        version=revision.version,
                    )  # fmt: skip
                    message = f"已签发修改稿的{waiting}。"
                elif action == "return":
                    review.send_back(revision, by=request.user, opinion=opinion)
                    message = "修改稿已退回，回到草稿。"
                else:
                    revisions.publish(revision, by=request.user)
                    message = f"修改已发布：读者现在看到的是修改后的“{live}”。"
                self.log_change(request, live, message)
                self.message_user(request, message)
                return HttpResponseRedirect(change_url)
            except WorkflowError as refused:
                error = str(refused)
        title = f"{labels[action]}{waiting or '' if reviewing else ''}"
        context = {
            **self._confirmation_context(request, live, title=title, form=form, error=error),
            "verb": labels[action],
            **self.revision_context(request, live, revision),
        }
        return TemplateResponse(request, "admin/workflow/revision_confirm.html", context)

    def bulk_transition(self, request, queryset, name):
        transition = TRANSITIONS[name]
        form = TransitionForm(
            request.POST if "confirm" in request.POST else None, transition=transition
        )
        if form.is_valid():
            done, refused = 0, []
            for obj in queryset:
                try:
                    self.run_transition(request, obj, name, form)
                    done += 1
                except WorkflowError as error:
                    refused.append(str(error))
            if done:
                self.message_user(request, f"已{transition.label}{done}项。")
            for message in refused:
                self.message_user(request, message, messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/workflow/action_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{transition.label}所选{self.opts.verbose_name_plural}",
                "opts": self.opts,
                "transition": transition,
                "objects": queryset,
                "form": form,
                "media": self.media + form.media,
                "action": f"{name}_selected",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description="提交审核所选%(verbose_name_plural)s", permissions=["change"])
    def submit_selected(self, request, queryset):
        return self.bulk_transition(request, queryset, "submit")

    @admin.action(description="发布所选%(verbose_name_plural)s", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self.bulk_transition(request, queryset, "publish")

    @admin.action(description="撤回所选%(verbose_name_plural)s", permissions=["publish"])
    def withdraw_selected(self, request, queryset):
        return self.bulk_transition(request, queryset, "withdraw")

    @admin.action(description="退回草稿所选%(verbose_name_plural)s", permissions=["change"])
    def redraft_selected(self, request, queryset):
        return self.bulk_transition(request, queryset, "redraft")


class FollowsParentLockInline:
    """An inline that is read-only whenever its parent page is (a published issue or
    article seen by someone who may not publish, a reader with view permission only)."""

    def parent_locked(self, request, obj) -> bool:
        if obj is None:
            return False
        parent_admin = self.admin_site._registry[self.parent_model]
        return not parent_admin.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self.parent_locked(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self.parent_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.parent_locked(request, obj) and super().has_delete_permission(request, obj)


class IssuePartAdminMixin:
    """Admin of a part of an issue with pages of its own (工作动态, 本期导读): once the
    issue is published (or scheduled), its parts change only on the issue's page, as a
    修改稿 of the issue that passes the review stages — for the 主编 too; new parts go
    to unpublished issues. Changes to parts of an unpublished issue void the issue's
    sign-offs, and the page says so."""

    def issue_locked(self, request, obj) -> bool:
        return obj is not None and obj.issue.is_released

    def save_model(self, request, obj, form, change):
        request._covering_signed = signed_of([obj.issue])
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_voided(self, request, getattr(request, "_covering_signed", []))

    def has_change_permission(self, request, obj=None):
        return not self.issue_locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self.issue_locked(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "issue":
            kwargs["queryset"] = db_field.remote_field.model._default_manager.unreleased()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def signed_of(pieces) -> list:
    """``[(piece, its sign-offs counting now)]``, before a save that may void them."""
    return [(piece, list(stages.counted(piece))) for piece in pieces if piece is not None]


def warn_voided(model_admin, request, signed_before) -> None:
    """Tell the editor which sign-offs of another piece (an issue) the save just voided:
    a change to an article is a change to the issue its 终审 signed."""
    for piece, before in signed_before:
        still = set(stages.counted(piece).values_list("pk", flat=True))
        lost = [s for s in before if s.pk not in still]
        if lost:
            names = "、".join(f"{s.stage}（{s.user_label}）" for s in lost)
            model_admin.message_user(
                request,
                f"此次修改使{stages.describe(piece)}已有的签发失效：{names}。"
                f"{piece._meta.verbose_name}须从第一个审级重新签发，才能发布。",
                messages.WARNING,
            )


def obj_sign_offs(obj):
    """Every sign-off and return of ``obj``, oldest first, each with whether it counts."""
    counting = set(stages.counted(obj).values_list("pk", flat=True))
    records = SignOff.objects.of(obj).select_related("stage", "user")
    return [(record, record.pk in counting) for record in records]


@admin.register(ReviewStage)
class ReviewStageAdmin(admin.ModelAdmin):
    """The office's review stages (三审), signed in ``order`` by ``group``."""

    list_display = ["order", "name", "group"]
    list_display_links = ["name"]
    ordering = ["order"]


@admin.register(SignOff)
class SignOffAdmin(admin.ModelAdmin):
    """The record of sign-offs and returns: read only, written by 签发 and 退回."""

    list_display = ["at", "content_type", "object_id", "stage", "kind", "user", "version"]
    list_filter = ["stage", "kind", "content_type"]
    list_select_related = ["stage", "user", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
