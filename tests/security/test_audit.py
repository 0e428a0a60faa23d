"""The audit log: admin actions and logins as structured records (who, what, result),
written one JSON object a line."""

import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article
from issues.importing.service import issue_import
from security.audit import JsonFormatter
from tests.factories import ArticleFactory
from tests.forms import form_data
from tests.images import image_bytes, upload

pytestmark = pytest.mark.django_db


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)


def collect(name):
    collector = _Collector()
    logger = logging.getLogger(name)
    logger.addHandler(collector)
    formatter = JsonFormatter()
    try:
        yield lambda: [json.loads(formatter.format(r)) for r in collector.records]
    finally:
        logger.removeHandler(collector)


@pytest.fixture
def audit():
    """The records the jczx.admin logger writes during the test, as parsed JSON lines."""
    yield from collect("jczx.admin")


@pytest.fixture
def import_audit():
    yield from collect("jczx.import")


def fields(entry, *names):
    return {name: entry[name] for name in names}


def test_an_article_change_is_logged_with_user_action_object_and_result(
    editor_client, editor, audit
):
    # A draft: an edit of a live article is a revision (修改稿), logged by its own line.
    article = ArticleFactory(title="在市委政协工作会议上的讲话", status="draft")
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url).content.decode(), "article_form")
    data["title"] = "在市委政协工作会议上的讲话（修订）"

    response = editor_client.post(url, data)

    assert response.status_code == 302
    [entry] = audit()
    assert fields(entry, "logger", "level", "user", "action", "object", "result") == {
        "logger": "jczx.admin",
        "level": "INFO",
        "user": "editor",
        "action": "change",
        "object": f"articles.article:{article.pk} 在市委政协工作会议上的讲话（修订）",
        "result": "success",
    }
    assert "主标题" in entry["change"]
    assert entry["path"] == url


def test_a_bulk_deletion_logs_every_object(editor_client, audit):
    first, second = ArticleFactory(), ArticleFactory()
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Article.objects.count() == 0
    logged = sorted((e["action"], e["object"].split()[0], e["result"]) for e in audit())
    assert logged == sorted(
        [
            ("delete", f"articles.article:{first.pk}", "success"),
            ("delete", f"articles.article:{second.pk}", "success"),
        ]
    )


def test_a_refused_form_is_logged_as_not_saved(editor_client, audit):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url).content.decode(), "article_form")
    data.update(start_page="30", end_page="20")

    response = editor_client.post(url, data)

    assert response.status_code == 200
    [entry] = audit()
    assert fields(entry, "user", "action", "object", "result", "status") == {
        "user": "editor",
        "action": "post",
        "object": url,
        "result": "not_saved",
        "status": 200,
    }


def test_a_forbidden_post_is_logged_as_denied(client, django_user_model, audit):
    clerk = django_user_model.objects.create_user("clerk", "", "pw", is_staff=True)
    client.force_login(clerk)
    response = client.post(reverse("admin:auth_user_add"), {"username": "x"})
    assert response.status_code == 403
    posts = [fields(e, "user", "result") for e in audit() if e["action"] == "post"]
    assert posts == [{"user": "clerk", "result": "denied"}]


def test_logins_are_logged_success_failure_and_lockout(client, django_user_model, audit, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_superuser("chief", "", "a-long-test-password-42")
    login = reverse("admin:login")
    client.post(login, {"username": "chief", "password": "a-long-test-password-42"})
    client.logout()
    for _ in range(5):
        client.post(login, {"username": "chief", "password": "guess"}, REMOTE_ADDR="10.1.2.3")

    logged = [fields(e, "user", "action", "result", "ip") for e in audit()]
    assert logged[0] == {"user": "chief", "action": "login", "result": "success", "ip": "127.0.0.1"}
    assert (
        logged[1:5]
        == [{"user": "chief", "action": "login", "result": "failure", "ip": "10.1.2.3"}] * 4
    )
    assert {"user": "chief", "action": "login", "result": "locked", "ip": "10.1.2.3"} in logged[5:]


def test_image_uploads_are_logged(editor_client, audit):
    editor_client.post(reverse("image_upload"), {"upload": upload("a.jpg", image_bytes())})
    editor_client.post(reverse("image_upload"), {"upload": upload("b.png", b"<html>")})
    logged = [fields(e, "user", "action", "result") for e in audit()]
    assert logged == [
        {"user": "editor", "action": "upload", "result": "success"},
        {"user": "editor", "action": "upload", "result": "rejected"},
    ]
    assert audit()[0]["object"].startswith("uploads/")


def test_import_runs_are_logged_with_outcome_issue_and_counts(import_audit, tmp_path):
    demo = Path(settings.BASE_DIR) / "fixtures" / "demo" / "jczx-2020-04.md"
    issue_import(path=demo)
    issue_import(path=demo)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "jczx-issue"}', encoding="utf-8")
    issue_import(path=broken)

    created, unchanged, refused = import_audit()
    assert fields(created, "logger", "action", "object", "result", "issue", "dry_run") == {
        "logger": "jczx.import",
        "action": "import",
        "object": str(demo),
        "result": "created",
        "issue": "2020年第4期（总第43期）",
        "dry_run": False,
    }
    assert created["articles"] == Article.objects.filter(issue__year=2020).count() > 10
    assert created["user"] and created["problems"] == []
    assert fields(unchanged, "result", "issue") == {
        "result": "unchanged",
        "issue": "2020年第4期（总第43期）",
    }
    assert refused["result"] == "refused"
    assert refused["object"] == str(broken)
    assert refused["problems"] and str(broken) in refused["problems"][0]


def test_json_lines_keep_chinese_readable_and_fit_on_one_line():
    record = logging.makeLogRecord(
        {"name": "jczx.import", "levelname": "INFO", "msg": "导入\n完成", "issue": "2020年第4期"}
    )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    assert '"issue": "2020年第4期"' in line
    assert json.loads(line)["message"] == "导入\n完成"
