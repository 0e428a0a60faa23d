import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def _media_and_static(settings, tmp_path):
    """Uploaded files go to a temporary folder; static URLs need no collectstatic."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def columns(db):
    """The six standing columns, as fixtures/columns.json defines them."""
    from django.core.management import call_command

    from articles.models import Column

    call_command("loaddata", "fixtures/columns.json", verbosity=0)
    return {c.name: c for c in Column.objects.all()}


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "", "pw-for-tests-only")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def chromium_path():
    path = os.environ.get("JCZX_CHROMIUM", "/usr/bin/chromium")
    if shutil.which(path):
        return path
    if os.environ.get("JCZX_REQUIRE_BROWSER"):
        pytest.fail(f"Chromium not found at {path}: browser tests are required here")
    pytest.skip(f"Chromium not found at {path}")
