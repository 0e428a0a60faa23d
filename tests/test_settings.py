"""The settings refuse to run in production without a secret, and are HTTPS-only
unless DJANGO_HTTPS=0."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


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
