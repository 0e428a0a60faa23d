"""An issue's sign-off covers what readers will see of it — its articles included: an
article edited after the issue was signed voids the issue's sign-offs, the admin says
so, and the issue cannot be published with content its 终审 never saw."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.services import article_redraft, article_submit
from issues.services import issue_publish
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    HighlightFactory,
    IssueFactory,
    MastheadEntryFactory,
    NewsItemFactory,
)
from tests.forms import form_data
from tests.review import reviewer, sign_all
from workflow.errors import PublicationBlocked
from workflow.models import ReviewStage, SignOff, Status
from workflow.stages import covered_parts

pytestmark = pytest.mark.django_db

VOIDED = (
    "此次修改使期刊“2020年第4期（总第43期）”已有的签发失效："
    "初审（chushen）、复审（fushen）、终审（zhongshen）。期刊须从第一个审级重新签发，才能发布。"
)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def signed_issue():
    """2020年第4期 in review, two entries, a 编委会, every stage signed."""
    issue = IssueFactory(
        year=2020, number=4, total_number=43, status=Status.REVIEW, published_at=None
    )
    for position, title in enumerate(["在市委政协工作会议上的讲话", "实施意见"], start=1):
        ArticleFactory(
            issue=issue, toc_position=position, title=title, start_page=position * 10,
            end_page=position * 10 + 5, body="<p>原文。</p>", status=Status.REVIEW,
            published_at=None,
        )  # fmt: skip
    MastheadEntryFactory(issue=issue, role="主编")
    sign_all(issue)
    issue.refresh_from_db()
    return issue


def article_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_editing_an_article_after_the_issue_was_signed_voids_the_issue_sign_off(
    signed_issue, staff_editor, chief_editor
):
    article = signed_issue.articles.get(toc_position=2)
    editor = logged_in(staff_editor)
    data = form_data(editor.get(article_url(article)), "article_form")
    data["body"] = "<p>改过的正文。</p>"
    page = editor.post(article_url(article), data, follow=True).content.decode()
    assert VOIDED in page

    with pytest.raises(PublicationBlocked) as refused:
        issue_publish(issue=signed_issue, by=chief_editor)
    assert refused.value.problems[0].startswith("初审：chushen 于 ")
    assert refused.value.problems[0].endswith(
        "签发之后，文章《实施意见》已修改，签发已失效，须重新初审"
    )
    signed_issue.refresh_from_db()
    assert signed_issue.status == Status.REVIEW

    # The admin's 发布 page shows the same refusal; the issue's page names the article.
    chief = logged_in(chief_editor)
    publish_url = reverse("admin:issues_issue_workflow", args=[signed_issue.pk, "publish"])
    page = chief.post(publish_url, {"note": ""}, follow=True).content.decode()
    assert "未完成审稿，不能发布" in page and "文章《实施意见》已修改" in page
    issue_page = chief.get(reverse("admin:issues_issue_change", args=[signed_issue.pk]))
    assert "文章《实施意见》已修改，签发已失效，须重新终审" in issue_page.content.decode()


def test_signing_again_after_the_edit_lets_the_issue_be_published(signed_issue, chief_editor):
    signed_issue.articles.filter(toc_position=1).update(title="在市委政协工作会议上的重要讲话")
    with pytest.raises(PublicationBlocked, match="文章《在市委政协工作会议上的重要讲话》已修改"):
        issue_publish(issue=signed_issue, by=chief_editor)
    sign_all(signed_issue)
    issue_publish(issue=signed_issue, by=chief_editor)
    signed_issue.refresh_from_db()
    assert signed_issue.status == Status.PUBLISHED


def test_an_article_added_or_taken_out_voids_it_too(signed_issue, chief_editor):
    ArticleFactory(issue=signed_issue, toc_position=3, title="新增的稿件", start_page=30,
                   end_page=31, body="<p>新稿。</p>", status=Status.REVIEW,
                   published_at=None)  # fmt: skip
    with pytest.raises(PublicationBlocked, match="文章《新增的稿件》已加入本期"):
        issue_publish(issue=signed_issue, by=chief_editor)
    signed_issue.articles.filter(toc_position=3).delete()
    issue_publish(issue=signed_issue, by=chief_editor)  # back to what was signed
    assert signed_issue.articles.filter(status=Status.PUBLISHED).count() == 2


def test_workflow_steps_of_an_article_change_nothing_a_reader_sees_and_keep_the_sign_off(
    signed_issue, staff_editor, chief_editor
):
    article = signed_issue.articles.get(toc_position=1)
    article_redraft(article=article, by=staff_editor)
    article.refresh_from_db()
    article_submit(article=article, by=staff_editor)
    issue_publish(issue=signed_issue, by=chief_editor)
    signed_issue.refresh_from_db()
    assert signed_issue.status == Status.PUBLISHED


def test_a_highlight_changed_on_its_own_page_voids_the_issue_sign_off_and_says_so(
    signed_issue, chief_editor
):
    highlight = HighlightFactory(article=signed_issue.articles.get(toc_position=1), text="导读")
    sign_all(signed_issue)  # signed with the highlight
    chief = logged_in(chief_editor)
    url = reverse("admin:articles_highlight_change", args=[highlight.pk])
    data = form_data(chief.get(url), "highlight_form")
    page = chief.post(url, {**data, "text": "新导读"}, follow=True).content.decode()
    assert VOIDED in page
    with pytest.raises(
        PublicationBlocked, match="本期的期刊信息、编委会、本期导读或工作动态已修改"
    ):
        issue_publish(issue=signed_issue, by=chief_editor)


def test_a_reviewer_cannot_sign_an_issue_whose_articles_changed_since_the_page_was_opened(
    staff_editor,
):
    issue = IssueFactory(year=2021, number=1, total_number=44, status=Status.REVIEW,
                         published_at=None)  # fmt: skip
    article = ArticleFactory(issue=issue, toc_position=1, title="原题", status=Status.REVIEW,
                             published_at=None)  # fmt: skip
    first = ReviewStage.objects.first()
    signer = logged_in(reviewer(first))
    url = reverse("admin:issues_issue_review", args=[issue.pk, "sign"])
    opened = form_data(signer.get(url), "review-form")
    assert opened["read"]  # what the reviewer reads is part of the form
    article.title = "改题"
    article.save()
    page = signer.post(url, {**opened, "opinion": "同意"}).content.decode()
    assert "的内容在您打开审稿页之后已修改。请重新阅读最新版本后再签发。" in page
    assert SignOff.objects.count() == 0


def test_my_todo_shows_the_issue_back_at_the_first_stage_after_an_article_edit(
    signed_issue, staff_editor, chief_editor
):
    def issue_row(user):
        html = logged_in(user).get(reverse("admin:index")).content.decode()
        start = html.index('id="my-todo"')
        panel = html[start : html.index("</div>", start)]
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", panel)
        return [re.sub(r"<[^>]+>", " ", row).split() for row in rows if "总第43期" in row]

    assert [row[:3] for row in issue_row(chief_editor)] == [
        ["2020年第4期（总第43期）", "期刊", "待发布"]
    ]
    signed_issue.articles.filter(toc_position=1).update(body="<p>终审之后改的。</p>")
    assert issue_row(chief_editor) == []
    assert [row[:3] for row in issue_row(staff_editor)] == [
        ["2020年第4期（总第43期）", "期刊", "待初审"]
    ]


@pytest.mark.parametrize("articles", [2, 8])
def test_what_a_sign_off_covers_is_read_in_the_same_queries_for_any_number_of_articles(
    articles, django_assert_num_queries
):
    issue = IssueFactory(status=Status.REVIEW, published_at=None)
    for position in range(1, articles + 1):
        article = ArticleFactory(issue=issue, toc_position=position, status=Status.REVIEW,
                                 published_at=None)  # fmt: skip
        AuthorshipFactory(article=article)
        HighlightFactory(article=article)
    MastheadEntryFactory(issue=issue)
    NewsItemFactory(issue=issue)
    # The issue's 编委会, 本期导读, 工作动态 (and their people), its articles, their bylines.
    with django_assert_num_queries(6):
        parts = covered_parts(issue)
    assert len(parts) == articles + 1


def test_a_sign_off_from_before_covered_parts_were_recorded_must_be_given_again(
    signed_issue, chief_editor
):
    SignOff.objects.update(fingerprint="", covered={})  # as migrated from before
    with pytest.raises(PublicationBlocked) as refused:
        issue_publish(issue=signed_issue, by=chief_editor)
    assert refused.value.problems[0].endswith(
        "的签发没有记录所签的文章内容，无法确认与现在的期刊一致，须重新初审"
    )
