"""修改稿: a correction to a live article waits, as a revision, for the three stages;
readers see the published text until it is published."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorshipFactory, PersonFactory
from tests.forms import form_data
from tests.review import reviewer
from workflow.errors import NotPermitted, PublicationBlocked, TransitionNotAllowed
from workflow.models import ReviewStage, Revision, Status
from workflow.review import sign_off
from workflow.revisions import pending, publish, submit

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def live():
    article = ArticleFactory(title="关于发展康养旅游的建议", body="<p>要加强学习。</p>")
    AuthorshipFactory(article=article, person=PersonFactory(name="张三"), byline_title="委员")
    return article


def correct(client, article, body):
    data = form_data(client.get(change_url(article)), "article_form")
    data["body"] = body
    return client.post(change_url(article), data, follow=True)


def test_an_editor_corrects_a_live_article_as_a_revision_readers_see_the_old_text(
    live, staff_editor, client
):
    editor = logged_in(staff_editor)
    page = correct(editor, live, "<p>要力强学习。</p>").content.decode()
    assert "已保存为修改稿（第 1 版）：读者看到的仍是已发布的版本" in page

    live.refresh_from_db()
    assert live.body == "<p>要加强学习。</p>"  # the live row is untouched
    assert "要加强学习。" in client.get(live.get_absolute_url()).content.decode()
    revision = pending(live)
    assert revision.data["fields"]["body"] == "<p>要力强学习。</p>"
    assert revision.data["relations"]["authorships"][0]["byline_title"] == "委员"

    html = editor.get(change_url(live)).content.decode()
    assert "有未发布的修改" in html
    # Character by character, text only: 加 deleted, 力 inserted, no raw HTML shown.
    assert "要<del>加</del><ins>力</ins>强学习。" in html
    diff = html[
        html.index('class="revision-diff"') : html.index(
            "</table>", html.index('class="revision-diff"')
        )
    ]
    assert "&lt;" not in diff and "<p>" not in diff
    # The form shows the draft, so the editor goes on from it.
    assert "要力强学习" in html


def test_the_revision_is_published_only_after_every_stage(live, staff_editor, chief_editor, client):
    correct(logged_in(staff_editor), live, "<p>要加强理论学习。</p>")
    revision = pending(live)
    with pytest.raises(TransitionNotAllowed, match="当前是“草稿”，不能发布"):
        publish(revision, by=chief_editor)
    submit(revision, by=staff_editor)
    stages = list(ReviewStage.objects.all())
    for stage in stages[:2]:
        sign_off(revision, stage=stage, by=reviewer(stage))
    with pytest.raises(PublicationBlocked, match="终审尚未签发"):
        publish(revision, by=chief_editor)
    sign_off(revision, stage=stages[2], by=reviewer(stages[2]))
    with pytest.raises(NotPermitted, match="只有主编可以发布修改"):
        publish(revision, by=staff_editor)
    assert "要加强学习。" in client.get(live.get_absolute_url()).content.decode()

    response = logged_in(chief_editor).post(
        reverse("admin:articles_article_revision", args=[live.pk, "publish"]),
        {"version": revision.version},
        follow=True,
    )
    assert "修改已发布" in response.content.decode()
    live.refresh_from_db()
    assert live.body == "<p>要加强理论学习。</p>" and live.status == Status.PUBLISHED
    assert [str(a) for a in live.authorships.all()] == ["委员 张三"]
    assert "要加强理论学习。" in client.get(live.get_absolute_url()).content.decode()
    assert Revision.objects.get().status == Status.PUBLISHED
    assert live.events.first().note == "发布修改稿（已三审）"


def test_editing_the_revision_after_a_sign_off_voids_it(live, staff_editor):
    editor = logged_in(staff_editor)
    correct(editor, live, "<p>要加强理论学习。</p>")
    revision = pending(live)
    submit(revision, by=staff_editor)
    first = ReviewStage.objects.first()
    sign_off(revision, stage=first, by=reviewer(first))
    correct(editor, live, "<p>要加强党的理论学习。</p>")
    revision.refresh_from_db()
    assert (revision.version, revision.status) == (2, Status.DRAFT)
    html = editor.get(change_url(live)).content.decode()
    assert "已失效：签发的是第 1 版，之后已修改" in html
    assert "提交修改审核" in html


def test_restoring_an_old_version_of_live_content_is_refused(live, chief_editor):
    record = live.history.earliest()
    url = reverse("admin:articles_article_simple_history", args=[live.pk, record.history_id])
    chief = logged_in(chief_editor)
    response = chief.post(url, form_data(chief.get(url), "historicalarticle_form"), follow=True)
    assert "已发布的内容不能直接恢复旧版本" in response.content.decode()


def test_every_field_of_a_live_articles_form_is_kept_in_its_revision_or_read_only(
    live, staff_editor, client
):
    """An edit the 修改稿 would not keep must not be offered: the 摘要 is kept for review,
    the issue (moving a live article) cannot be edited on the form at all."""
    editor = logged_in(staff_editor)
    data = form_data(editor.get(change_url(live)), "article_form")
    assert "issue" not in data and "status" not in data
    data["abstract"] = "建议发展康养旅游。"
    page = editor.post(change_url(live), data, follow=True).content.decode()

    assert "已保存为修改稿（第 1 版）" in page
    assert pending(live).data["fields"]["abstract"] == "建议发展康养旅游。"
    live.refresh_from_db()
    assert live.abstract == ""
    assert "建议发展康养旅游" not in client.get(live.get_absolute_url()).content.decode()
