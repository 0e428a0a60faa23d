"""The admin's login and lockout in Chinese.

django-axes' action and lockout column are built from f-strings that no catalogue can
translate, so its admin is registered again with Chinese ones. The login form says how
many tries remain (security.forms); it is set here, where axes' models are loaded,
rather than on the site class in security.audit, which is imported before them."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.utils import timezone

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
