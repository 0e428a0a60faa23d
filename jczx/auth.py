"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


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
