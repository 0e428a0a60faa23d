"""The admin login form, telling someone who mistyped how many tries remain before the
lockout (django-axes counts the failures; DJANGO_LOGIN_FAILURE_LIMIT is the limit)."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class LoginForm(AdminAuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code != "invalid_login" or self.request is None:
                raise
            # Axes has counted this failure already: user_login_failed is sent inside
            # authenticate(), before the form raises.
            username = self.cleaned_data.get("username")
            failures = AxesProxyHandler.get_failures(self.request, {"username": username})
            left = settings.AXES_FAILURE_LIMIT - failures
            if left <= 0:
                raise
            minutes = round(settings.AXES_COOLOFF_TIME * 60)
            raise ValidationError(
                [
                    *error.error_list,
                    ValidationError(
                        f"还可以再试 {left} 次；再失败 {left} 次，此账户将被锁定 {minutes} 分钟。",
                        code="attempts_left",
                    ),
                ]
            ) from None
