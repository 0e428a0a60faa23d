"""Authentication: the login lockout backend and password rules."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import password_validation


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with an HTTP request.

    Axes refuses ``authenticate()`` calls without a request; those come only from code
    on the server (the test client's ``login()``, a shell, a management command), never
    from someone at a login form, so they are passed on to the next backend unchecked.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with its message in Chinese: Django's zh-hans catalogue
    lacks the wording Django 5.2 uses, so editors would read it in English."""

    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符。"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
