"""The audit log: admin actions and logins as structured records (who, what, result),
written one JSON object a line, once per action, where the action happens; and beside it
the two other records of changes (README, "Records of changes"): the object's history and
the 流程记录, each written once too."""

import json
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, ArticleEvent, Column
from issues.importing.service import issue_import
from members.models import Person
from security.audit import JsonFormatter
from tests.factories import ArticleFactory, ColumnFactory, IssueFactory, PersonFactory
from tests.forms import form_data
from tests.images import image_bytes, upload
from tests.review import sign_all
from workflow.models import Status

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
    assert entry["change"] == [{"changed": {"fields": ["主标题"]}}]
    assert entry["path"] == url


def test_an_admin_save_is_written_once_to_the_history_and_once_to_the_audit(
    editor_client, editor, audit
):
    article = ArticleFactory(title="旧标题", status="draft")  # a live one gets a 修改稿
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client.get(url).content.decode(), "article_form")
    data["title"] = "新标题"

    editor_client.post(url, data)

    # The editor's history: one new version, by the editor, showing what changed.
    latest, before = article.history.all()[:2]
    assert (latest.title, latest.history_user, latest.history_type) == ("新标题", editor, "~")
    [change] = latest.diff_against(before).changes
    assert (change.field, change.old, change.new) == ("title", "旧标题", "新标题")
    history_page = editor_client.get(
        reverse("admin:articles_article_history", args=[article.pk])
    ).content.decode()
    assert "<strong>主标题：</strong>旧标题 → 新标题</li>" in history_page
    # The security audit: one line. The admin's own LogEntry is not written at all.
    assert [(e["action"], e["result"]) for e in audit()] == [("change", "success")]
    assert LogEntry.objects.count() == 0
    # A save is no workflow step.
    assert not article.events.exists()


def test_a_deletion_from_its_page_is_logged_once_and_kept_in_the_history(editor_client, audit):
    person = PersonFactory(name="王志刚")
    url = reverse("admin:members_person_delete", args=[person.pk])

    response = editor_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert [fields(e, "action", "object", "result") for e in audit()] == [
        {"action": "delete", "object": f"members.person:{person.pk} 王志刚", "result": "success"}
    ]
    deleted = Person.history.filter(id=person.pk).latest()
    assert (deleted.history_type, deleted.name) == ("-", "王志刚")


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


def test_a_changelist_edit_logs_each_changed_row(editor_client, audit):
    first = ColumnFactory(name="栏目甲", position=1)
    second = ColumnFactory(name="栏目乙", position=2)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": first.pk,
        "form-0-position": "1",
        "form-1-id": second.pk,
        "form-1-position": "9",
        "_save": "保存",
    }
    response = editor_client.post(reverse("admin:articles_column_changelist"), data)

    assert response.status_code == 302
    assert [fields(e, "action", "object", "change") for e in audit()] == [
        {
            "action": "change",
            "object": f"articles.column:{second.pk} 栏目乙",
            "change": [{"changed": {"fields": ["显示顺序"]}}],
        }
    ]
    version = Column.history.filter(id=second.pk).latest()
    assert (version.position, version.history_change_reason) == (9, "后台修改")


def test_a_workflow_step_is_one_record_in_the_workflow_and_one_audit_line(
    client, chief_editor, audit
):
    issue = IssueFactory()
    article = ArticleFactory(issue=issue, status=Status.REVIEW, published_at=None)
    sign_all(article)  # 三审 before 发布
    client.force_login(chief_editor)
    audit_before = len(audit())
    url = reverse("admin:articles_article_workflow", args=[article.pk, "publish"])

    response = client.post(url, {"note": "审核通过"})

    assert response.status_code == 302
    [event] = ArticleEvent.objects.filter(article=article)
    assert (event.from_status, event.to_status, event.user, event.note) == (
        Status.REVIEW,
        Status.PUBLISHED,
        chief_editor,
        "审核通过",
    )
    [entry] = audit()[audit_before:]
    assert fields(entry, "user", "action", "object", "result", "note") == {
        "user": "zhubian",
        "action": "publish",
        "object": f"articles.article:{article.pk} {article.title}",
        "result": "success",
        "note": "审核通过",
    }
    assert LogEntry.objects.count() == 0


def test_a_bulk_workflow_action_logs_each_object_and_each_refusal(editor_client, audit):
    ready = ArticleFactory(status=Status.DRAFT, published_at=None)
    done = ArticleFactory(status=Status.PUBLISHED)
    response = editor_client.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "submit_selected",
            ACTION_CHECKBOX_NAME: [ready.pk, done.pk],
            "confirm": "1",
            "note": "",
        },
    )

    assert response.status_code == 302
    logged = sorted((e["action"], e["object"].split()[0], e["result"]) for e in audit())
    assert logged == [
        ("submit", f"articles.article:{ready.pk}", "success"),
        ("submit", f"articles.article:{done.pk}", "refused"),
    ]
    assert ready.events.count() == 1 and done.events.count() == 0


def test_a_merge_logs_the_kept_person_and_each_merged_one(editor_client, audit):
    kept = PersonFactory(name="李正根", position="泽州县政协主席")
    twin = PersonFactory(name="李正根")
    response = editor_client.post(
        reverse("admin:members_person_changelist"),
        {
            "action": "merge_people",
            ACTION_CHECKBOX_NAME: [kept.pk, twin.pk],
            "confirm": "1",
            "target": kept.pk,
        },
    )

    assert response.status_code == 302
    assert [fields(e, "action", "object") for e in audit()] == [
        {"action": "delete", "object": f"members.person:{twin.pk} 李正根"},
        {"action": "merge", "object": f"members.person:{kept.pk} 李正根（泽州县政协主席）"},
    ]
    assert Person.history.filter(id=twin.pk).latest().history_type == "-"


def test_the_user_admin_of_django_itself_is_audited_too(editor_client, django_user_model, audit):
    clerk = django_user_model.objects.create_user("clerk", "", "pw", is_staff=True)
    url = reverse("admin:auth_user_change", args=[clerk.pk])
    data = form_data(editor_client.get(url).content.decode(), "user_form")
    data["groups"] = [Group.objects.get(name="主编").pk]

    editor_client.post(url, data)

    assert [fields(e, "user", "action", "object", "result") for e in audit()] == [
        {
            "user": "editor",
            "action": "change",
            "object": f"auth.user:{clerk.pk} clerk",
            "result": "success",
        }
    ]
    assert LogEntry.objects.count() == 0


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


def test_a_forbidden_admin_page_is_logged_as_denied(client, django_user_model, audit):
    clerk = django_user_model.objects.create_user("clerk", "", "pw", is_staff=True)
    client.force_login(clerk)
    url = reverse("admin:auth_user_changelist")
    assert client.get(url).status_code == 403
    logged = [fields(e, "user", "action", "object", "result") for e in audit()]
    assert {"user": "clerk", "action": "view", "object": url, "result": "denied"} in logged


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


def test_an_upload_by_someone_not_staff_is_logged_as_denied(client, django_user_model, audit):
    reader = django_user_model.objects.create_user("reader", "", "pw")
    client.force_login(reader)
    response = client.post(reverse("image_upload"), {"upload": upload("a.jpg", image_bytes())})
    assert response.status_code == 403
    logged = [fields(e, "user", "action", "result") for e in audit()]
    assert {"user": "reader", "action": "upload", "result": "denied"} in logged


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
