"""Static files as production serves them after collectstatic: hashed names cached for
ever, compressed copies, templates pointing at the hashed names."""

import gzip
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic with WhiteNoise's storage, of the project's own static folder."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    return manifest["paths"]


def test_hashed_files_are_cached_for_ever_and_served_compressed(client, collected):
    hashed = collected["css/site.css"]
    assert hashed != "css/site.css"
    response = client.get(f"/static/{hashed}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"

    compressed = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = b"".join(compressed.streaming_content)
    assert gzip.decompress(body) == b"".join(response.streaming_content)
    assert len(body) < int(response["Content-Length"]) / 2


def test_unhashed_names_are_cached_briefly(client, collected):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"


def test_pages_link_the_hashed_files(client, collected):
    html = client.get("/").content.decode()
    assert f'href="/static/{collected["css/site.css"]}"' in html
    assert f'src="/static/{collected["js/site.js"]}"' in html
