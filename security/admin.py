"""The admin's login and lockout in Chinese.

django-axes' action and lockout column are built from f-strings that no catalogue can
translate, so its admin is registered again with Chinese ones. The login form says how
many tries remain (security.forms); it is set here, where axes' models are loaded,
rather than on the site class in security.audit, which is imported before them."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone

from .audit import AuditedAdmin
from .forms import LoginForm


class ChineseAccessAttemptAdmin(AccessAttemptAdmin):
    actions = ["cleanup_expired_attempts"]

    @admin.action(description="清除已过期的登录尝试")
    def cleanup_expired_attempts(self, request, queryset):
        # Axes stamps the time only on login requests; without it its own action fails.
        request.axes_attempt_time = timezone.now()
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"已清除 {count} 条过期的登录尝试。")

    @admin.display(description="状态")
    def status(self, obj):
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"还可尝试 {left} 次" if left > 0 else "已锁定"


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, ChineseAccessAttemptAdmin)

admin.site.login_form = LoginForm


class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    """Django's user admin with a 解锁 button for the administrator: it clears axes'
    lockout records for the user's name, from every address, without a shell."""

    change_form_template = "admin/security/user_change_form.html"

    def get_urls(self):
        unlock = path(
            "<int:object_id>/unlock/",
            self.admin_site.admin_view(self.unlock_view),
            name="auth_user_unlock",
        )
        return [unlock, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and request.user.is_superuser:
            failures = AccessAttempt.objects.filter(username=user.get_username())
            extra_context = {
                **(extra_context or {}),
                "may_unlock": True,
                "login_failures": sum(failures.values_list("failures_since_start", flat=True)),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def unlock_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_superuser:
            raise PermissionDenied
        user = self.get_object(request, object_id)
        if user is None:
            raise Http404("没有这个用户。")
        count = reset(username=user.get_username())
        self.log_event(request, user, action="unlock", cleared=count)
        self.message_user(
            request, f"已解除用户“{user.get_username()}”的登录锁定（清除 {count} 条失败记录）。"
        )
        return redirect("admin:auth_user_change", user.pk)


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
