"""Two editors saving the same 修改稿 or draft from forms opened at the same version: the
second save is refused with a message naming who saved first and when; nothing of the
first is lost."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, HighlightFactory, IssueFactory
from tests.forms import form_data
from workflow.models import Status
from workflow.revisions import RevisionConflict, pending, save_draft, snapshot

pytestmark = pytest.mark.django_db

SAVED_BY = re.compile(r"（(\w+) 于 \d{4}-\d\d-\d\d \d\d:\d\d 保存，现为第 (\d+) 版）")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def colleague(staff_editor, django_user_model):
    user = django_user_model.objects.create_user("bianji2", is_staff=True)
    user.groups.add(*staff_editor.groups.all())
    return user


def test_the_second_of_two_corrections_to_a_live_article_is_refused(staff_editor, colleague):
    live = ArticleFactory(title="关于发展康养旅游的建议", body="<p>要加强学习。</p>")
    url = reverse("admin:articles_article_change", args=[live.pk])
    first, second = logged_in(staff_editor), logged_in(colleague)
    first_form = form_data(first.get(url), "article_form")
    second_form = form_data(second.get(url), "article_form")
    assert first_form["revision_version"] == second_form["revision_version"] == "0"

    assert first.post(url, {**first_form, "body": "<p>要加强理论学习。</p>"}).status_code == 302
    refused = second.post(url, {**second_form, "body": "<p>要加强党史学习。</p>"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "保存失败：在您打开此页之后，《关于发展康养旅游的建议》的修改稿已被修改" in html
    assert SAVED_BY.search(html).groups() == ("bianji", "1")
    assert "要加强党史学习。" in html  # still on the page, to be copied
    assert pending(live).data["fields"]["body"] == "<p>要加强理论学习。</p>"
    assert pending(live).version == 1

    # Reopened, the page carries the revision's version, and the save goes through.
    fresh = form_data(second.get(url), "article_form")
    assert fresh["revision_version"] == "1"
    assert second.post(url, {**fresh, "source": "新华社"}).status_code == 302
    revision = pending(live)
    assert revision.version == 2 and revision.data["fields"]["source"] == "新华社"
    assert revision.data["fields"]["body"] == "<p>要加强理论学习。</p>"


def test_the_second_of_two_corrections_to_a_live_issue_is_refused(staff_editor, colleague):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    HighlightFactory(article=ArticleFactory(issue=issue, toc_position=1), text="导读")
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    first, second = logged_in(staff_editor), logged_in(colleague)
    first_form = form_data(first.get(url), "issue_form")
    second_form = form_data(second.get(url), "issue_form")
    first.post(url, {**first_form, "highlights-0-text": "甲改的导读"})
    html = second.post(url, {**second_form, "highlights-0-text": "乙改的导读"}).content.decode()
    assert "2020年第4期（总第43期）》的修改稿已被修改（bianji 于" in html
    assert pending(issue).data["relations"]["highlights"][0]["text"] == "甲改的导读"


def test_a_save_racing_past_validation_keeps_the_first_revision(staff_editor):
    live = ArticleFactory(title="原题")
    data = snapshot(live)
    save_draft(live, {**data, "fields": {**data["fields"], "title": "甲题"}}, by=staff_editor,
               expected=0)  # fmt: skip
    with pytest.raises(
        RevisionConflict, match=r"的修改稿已被修改（bianji 于 .* 保存，现为第 1 版）"
    ):
        save_draft(live, {**data, "fields": {**data["fields"], "title": "乙题"}}, by=staff_editor,
                   expected=0)  # fmt: skip
    assert pending(live).data["fields"]["title"] == "甲题"


def test_the_second_of_two_saves_of_a_draft_issue_is_refused(staff_editor, colleague):
    issue = IssueFactory(year=2019, number=6, total_number=40, status=Status.DRAFT,
                         published_at=None)  # fmt: skip
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    first, second = logged_in(staff_editor), logged_in(colleague)
    first_form = form_data(first.get(url), "issue_form")
    second_form = form_data(second.get(url), "issue_form")
    assert "revision_version" not in first_form  # a draft is locked by its own version
    assert first.post(url, {**first_form, "address": "晋城市泽州路"}).status_code == 302
    html = second.post(url, {**second_form, "phone": "0356-2222222"}).content.decode()
    assert "保存失败：在您打开此页之后，《2019年第6期（总第40期）》已被修改（bianji 于" in html
    issue.refresh_from_db()
    assert (issue.address, issue.phone) == ("晋城市泽州路", "")
