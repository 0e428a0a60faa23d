"""The settings refuse to run in production without a secret, and are HTTPS-only
unless DJANGO_HTTPS=0."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


SHOW_HTTPS = (
    "from django.conf import settings; "
    "print(settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, "
    "settings.SESSION_COOKIE_SECURE)"
)


def run_settings(env_overrides, code=SHOW_HTTPS):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"DJANGO_SETTINGS_MODULE": "jczx.settings", **env_overrides})
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_debug_off_without_secret_key_refuses_to_start():
    result = run_settings({})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_off_is_https_only_by_default():
    result = run_settings({"DJANGO_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "31536000", "True"]


def test_django_https_0_serves_plain_http():
    result = run_settings({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_HTTPS": "0"})
    assert result.stdout.split() == ["False", "0", "False"]


@pytest.mark.parametrize("flag", ["1", "true"])
def test_debug_has_a_local_only_default_host_list(flag):
    result = run_settings(
        {"DJANGO_DEBUG": flag}, "from django.conf import settings; print(settings.ALLOWED_HOSTS)"
    )
    assert result.stdout.strip() == "['localhost', '127.0.0.1', '[::1]']"


def test_check_deploy_is_clean_in_production():
    env = {
        "DJANGO_SECRET_KEY": "a-production-like-secret-key-with-enough-entropy-0123456789",
        "DJANGO_ALLOWED_HOSTS": "zx.jconline.cn",
    }
    result = run_settings(
        env,
        "from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_redirects_to_https_and_sends_hsts_and_secure_cookies():
    # The manifest storage would need collectstatic; the plain one serves the same headers.
    code = (
        "from django.test import Client, override_settings; "
        "override_settings(STORAGES={'default': {'BACKEND': "
        "'django.core.files.storage.FileSystemStorage'}, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}}).enable(); c = Client(); "
        "r = c.get('/admin/login/'); print(r.status_code, r['Location']); "
        "r = c.get('/admin/login/', secure=True); print(r.status_code); "
        "print(r['Strict-Transport-Security']); "
        "m = r.cookies['csrftoken']; print(bool(m['secure']), m['samesite'])"
    )
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "testserver"},
        "from django.test.utils import setup_test_environment; setup_test_environment(); " + code,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://testserver/admin/login/",
        "200",
        "max-age=31536000; includeSubDomains; preload",
        "True Lax",
    ]


def test_passwords_are_hashed_with_pbkdf2_at_a_million_iterations():
    """The fast hasher the tests use (tests/conftest.py) never reaches the settings."""
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x" * 50},
        "from django.contrib.auth.hashers import make_password; "
        "print(*make_password('a-long-test-password-42').split('$')[:2])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["pbkdf2_sha256", "1000000"]


@pytest.mark.django_db
def test_admin_session_cookie_is_httponly_ends_with_the_browser_and_lasts_8_hours(
    client, django_user_model
):
    django_user_model.objects.create_superuser("chief", "", "a-long-test-password-42")
    response = client.post(
        "/admin/login/", {"username": "chief", "password": "a-long-test-password-42"}
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_media_stay_on_disk_unless_object_storage_is_asked_for():
    show = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    result = run_settings({"DJANGO_SECRET_KEY": "x" * 50}, show)
    # FileSystemStorage, writing each file whole before it gets its name.
    assert result.stdout.strip() == "uploads.storage.MediaStorage"


@pytest.mark.parametrize(("value", "expected"), [(None, "True"), ("0", "False")])
def test_kept_database_connections_are_health_checked_unless_turned_off(value, expected):
    show = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS'])"
    )
    environment = {"DJANGO_SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u@db/jczx"}
    if value is not None:
        environment["DJANGO_CONN_HEALTH_CHECKS"] = value
    assert run_settings(environment, show).stdout.strip() == expected


def test_object_storage_without_django_storages_says_what_to_install():
    import importlib.util

    if importlib.util.find_spec("storages") is not None:
        pytest.skip("django-storages is installed here")
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": "b"}
    )
    assert result.returncode != 0
    assert 'DJANGO_STORAGE=s3 needs django-storages: .venv/bin/pip install ".[s3]"' in result.stderr


@pytest.mark.parametrize(
    ("cache_url", "debug", "expected"),
    [
        ("", "0", "True"),  # each process's own memory: exact, tokens in the database
        ("redis://127.0.0.1:6379/1", "0", "True"),
        ("redis://127.0.0.1:6379/1", "1", "True"),
        ("", "1", "False"),  # a developer's template edit shows at once
        ("dummycache://", "0", "False"),
    ],
)
def test_the_page_cache_is_on_unless_nothing_is_kept_or_a_developer_edits(
    cache_url, debug, expected
):
    result = run_settings(
        {"DJANGO_SECRET_KEY": "x" * 50, "CACHE_URL": cache_url, "DJANGO_DEBUG": debug},
        "from django.conf import settings; print(settings.JCZX_PAGE_CACHE)",
    )
    assert result.stdout.strip() == expected
