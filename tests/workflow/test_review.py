"""三审: the stages signed in order, who may sign, what voids a sign-off, and that
publishing needs them all — each bypass refused with the message the admin shows."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from articles.services import article_publish, article_submit
from tests.factories import ArticleFactory
from tests.forms import form_data
from tests.review import reviewer, sign_all
from workflow.errors import NotPermitted, PublicationBlocked, TransitionNotAllowed
from workflow.models import ReviewStage, SignOff, Status
from workflow.review import send_back, sign_off

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def stage(name):
    return ReviewStage.objects.get(name=name)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def review_url(article, action):
    return reverse("admin:articles_article_review", args=[article.pk, action])


def publish_url(article):
    return reverse("admin:articles_article_workflow", args=[article.pk, "publish"])


@pytest.fixture
def in_review(staff_editor):
    article = ArticleFactory(
        title="关于发展康养旅游的建议", body="<p>要加强学习。</p>", status=Status.DRAFT
    )
    article_submit(article=article, by=staff_editor)
    return article


def test_the_default_stages_and_their_groups():
    assert [(s.name, s.group.name) for s in ReviewStage.objects.all()] == [
        ("初审", "编辑"),
        ("复审", "编辑部主任"),
        ("终审", "主编"),
    ]


def test_the_three_stages_signed_in_order_then_published(
    in_review, staff_editor, director, chief_editor
):
    chushen = sign_off(in_review, stage=stage("初审"), by=staff_editor, opinion="文字已核")
    sign_off(in_review, stage=stage("复审"), by=director, opinion="同意")
    sign_off(in_review, stage=stage("终审"), by=chief_editor, opinion="同意刊发")
    version = in_review.version
    assert (chushen.version, chushen.opinion, chushen.user) == (version, "文字已核", staff_editor)

    article_publish(article=in_review, by=chief_editor)
    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED
    # The sign-offs used keep counting for the version publishing gave it.
    page = logged_in(chief_editor).get(change_url(in_review)).content.decode()
    assert page.count(f"已签发（第 {version} 版）") == 3


def test_publishing_with_a_stage_unsigned_is_refused_with_the_stages_missing(
    in_review, staff_editor, director, chief_editor
):
    sign_off(in_review, stage=stage("初审"), by=staff_editor)
    sign_off(in_review, stage=stage("复审"), by=director)
    chief = logged_in(chief_editor)

    page = chief.get(publish_url(in_review)).content.decode()
    assert "未完成审稿，不能发布" in page and "终审尚未签发（由主编签发）" in page
    assert "确认发布" not in page
    response = chief.post(publish_url(in_review), {"note": ""})
    assert "终审尚未签发（由主编签发）" in response.content.decode()
    with pytest.raises(PublicationBlocked, match="终审尚未签发"):
        article_publish(article=in_review, by=chief_editor)
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW


def test_stages_are_signed_in_order(in_review, director):
    with pytest.raises(TransitionNotAllowed, match=r"不能签发复审：.*正在初审，各审级须依次签发"):
        sign_off(in_review, stage=stage("复审"), by=director)


def test_only_the_stages_group_signs_it(in_review, director):
    with pytest.raises(NotPermitted, match="用户 zhuren 不在“编辑”组，不能签发初审"):
        sign_off(in_review, stage=stage("初审"), by=director)


def test_one_person_cannot_sign_two_stages_of_the_same_piece(
    in_review, staff_editor, django_user_model, settings
):
    both = staff_editor
    both.groups.add(stage("复审").group)
    client = logged_in(both)
    client.post(
        review_url(in_review, "sign"), {"opinion": "初审意见", "version": in_review.version}
    )

    page = client.get(change_url(in_review)).content.decode()
    assert "签发（复审）" in page  # a member of the group sees the button …
    response = client.post(
        review_url(in_review, "sign"), {"opinion": "", "version": in_review.version}
    )
    html = response.content.decode()
    # … and is refused with the reason.
    assert "bianji 已签发本文章的初审，同一人不能签发同一稿件的两个审级" in html
    assert SignOff.objects.of(in_review).count() == 1

    settings.JCZX_REVIEW_ALLOW_SAME_SIGNER = True
    sign_off(in_review, stage=stage("复审"), by=both)
    assert SignOff.objects.of(in_review).count() == 2


def test_editing_after_a_sign_off_voids_it_and_the_admin_says_so(
    in_review, staff_editor, director, chief_editor
):
    sign_off(in_review, stage=stage("初审"), by=staff_editor)
    sign_off(in_review, stage=stage("复审"), by=director)
    editor = logged_in(staff_editor)
    data = form_data(editor.get(change_url(in_review)), "article_form")
    response = editor.post(
        change_url(in_review), {**data, "body": "<p>要力强学习。</p>"}, follow=True
    )
    html = response.content.decode()
    assert "此次修改使已有的签发失效：初审（bianji）、复审（zhuren）" in html
    html = editor.get(change_url(in_review)).content.decode()
    assert "初审：bianji 于" in html and "签发已失效，须重新初审" in html

    # The 主编 cannot sign 终审 on the stale sign-offs, nor publish.
    with pytest.raises(TransitionNotAllowed, match="正在初审"):
        sign_off(in_review, stage=stage("终审"), by=chief_editor)
    page = logged_in(chief_editor).get(publish_url(in_review)).content.decode()
    assert "复审：zhuren 于" in page and "签发已失效，须重新复审" in page
    assert "确认发布" not in page


def test_a_reader_of_an_old_version_cannot_sign_the_new_one(in_review, staff_editor):
    opened_at = in_review.version
    in_review.body = "<p>改过的正文。</p>"
    in_review.version += 1
    in_review.save()
    response = logged_in(staff_editor).post(
        review_url(in_review, "sign"), {"opinion": "", "version": opened_at}
    )
    assert "在您打开审稿页之后已修改" in response.content.decode()
    assert not SignOff.objects.of(in_review).exists()


def test_an_editor_cannot_publish_even_with_every_stage_signed(in_review, staff_editor):
    sign_all(in_review)
    editor = logged_in(staff_editor)
    assert publish_url(in_review) not in editor.get(change_url(in_review)).content.decode()
    assert editor.post(publish_url(in_review), {"note": ""}).status_code == 403
    with pytest.raises(
        NotPermitted, match="用户 bianji 没有发布文章的权限。只有主编可以发布或撤回。"
    ):
        article_publish(article=in_review, by=staff_editor)
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW


def test_sending_back_returns_to_draft_with_the_comments_and_voids_the_sign_offs(
    in_review, staff_editor, director
):
    sign_off(in_review, stage=stage("初审"), by=staff_editor)
    client = logged_in(director)
    refused = client.post(
        review_url(in_review, "return"), {"opinion": "", "version": in_review.version}
    )
    assert "这个字段是必填项" in refused.content.decode()
    client.post(
        review_url(in_review, "return"),
        {"opinion": "第三段数据需核实", "version": in_review.version},
    )

    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT
    returned = SignOff.objects.of(in_review).get(kind=SignOff.Kind.RETURNED)
    assert (returned.stage.name, returned.user, returned.opinion) == (
        "复审",
        director,
        "第三段数据需核实",
    )
    assert in_review.events.first().note == "复审退回：第三段数据需核实"
    article_submit(article=in_review, by=staff_editor)
    with pytest.raises(NotPermitted, match="不在“编辑”组"):
        sign_off(in_review, stage=stage("初审"), by=director)  # back at 初审
    with pytest.raises(TransitionNotAllowed, match="不能退回"):
        send_back(ArticleFactory(status=Status.PUBLISHED), by=director, opinion="x")


def test_the_group_of_the_stage_reached_gets_an_email(in_review, staff_editor, director, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    director.email = "zhuren@example.org"
    director.save()
    sign_off(in_review, stage=stage("初审"), by=staff_editor)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["zhuren@example.org"], "【待复审】文章“关于发展康养旅游的建议”")
    ]
    assert f"/admin/articles/article/{in_review.pk}/change/" in mail.outbox[0].body


def test_reviewers_of_a_stage_are_told_when_a_piece_is_submitted(staff_editor, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first = reviewer(stage("初审"))
    article = ArticleFactory(title="提交的稿件", status=Status.DRAFT)
    article_submit(article=article, by=staff_editor)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([first.email], "【待初审】文章“提交的稿件”")
    ]


def test_my_todo_lists_what_waits_for_the_users_stage(
    in_review, staff_editor, director, chief_editor
):
    index = reverse("admin:index")

    def todo(user):
        html = logged_in(user).get(index).content.decode()
        start = html.index('id="my-todo"')
        return html[start : html.index("</div>", start)]

    assert "关于发展康养旅游的建议" in todo(staff_editor) and "待初审" in todo(staff_editor)
    assert "没有等待您签发的稿件" in todo(director)

    sign_off(in_review, stage=stage("初审"), by=staff_editor)
    assert "没有等待您签发的稿件" in todo(staff_editor)
    assert "待复审" in todo(director)
    sign_off(in_review, stage=stage("复审"), by=director)
    assert "待终审" in todo(chief_editor)
    sign_off(in_review, stage=stage("终审"), by=chief_editor)
    assert "待发布" in todo(chief_editor) and "我的待办（1）" in todo(chief_editor)
    assert "没有等待您签发的稿件" in todo(director)


def test_without_any_stage_nothing_can_be_published(in_review, chief_editor):
    ReviewStage.objects.all().delete()
    with pytest.raises(PublicationBlocked, match="没有设置审级"):
        article_publish(article=in_review, by=chief_editor)
