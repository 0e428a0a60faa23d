"""审稿单: the printable review sheet of an article, on screen and in Chromium's PDF."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.services import article_submit
from tests.browser import chromium
from tests.factories import ArticleFactory, AuthorshipFactory, ColumnFactory, PersonFactory
from tests.review import reviewer
from workflow.models import ReviewStage, Status
from workflow.review import sign_off

pytestmark = pytest.mark.django_db


def sheet_url(article):
    return reverse("admin:articles_article_review_sheet", args=[article.pk])


@pytest.fixture
def signed_twice(staff_editor):
    article = ArticleFactory(
        title="在市委政协工作会议上的讲话",
        column=ColumnFactory(name="高层声音", slug="gaocengshengyin"),
        status=Status.DRAFT,
    )
    AuthorshipFactory(article=article, person=PersonFactory(name="张三"), byline_title="市委书记")
    article_submit(article=article, by=staff_editor)
    first, second = ReviewStage.objects.all()[:2]
    sign_off(article, stage=first, by=reviewer(first), opinion="文字、数据已核对。")
    sign_off(article, stage=second, by=reviewer(second), opinion="同意送终审。")
    return article


def test_the_sheet_names_the_article_and_each_stages_reviewer(signed_twice, staff_editor):
    client = Client()
    client.force_login(staff_editor)
    change = client.get(reverse("admin:articles_article_change", args=[signed_twice.pk]))
    assert sheet_url(signed_twice) in change.content.decode()

    html = client.get(sheet_url(signed_twice)).content.decode()
    assert "审　稿　单" in html
    assert "在市委政协工作会议上的讲话" in html and "市委书记 张三" in html
    assert "高层声音" in html and str(signed_twice.issue) in html
    assert "文字、数据已核对。" in html and "chushen" in html
    assert "同意送终审。" in html and "fushen" in html
    assert html.count("签名：") == 3  # 终审 left to fill in by hand
    assert "articles/review_sheet.css" in html


def test_readers_without_access_get_no_sheet(signed_twice, client):
    assert client.get(sheet_url(signed_twice)).status_code == 302  # to the admin login


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sheet_prints_on_one_a4_page_in_chromium(live_server, django_user_model):
    article = ArticleFactory(title="关于发展康养旅游的建议", status=Status.REVIEW)
    django_user_model.objects.create_superuser("printer", "", "pw-for-tests-only")
    client = Client()
    client.login(username="printer", password="pw-for-tests-only")
    cookie = client.cookies["sessionid"].value
    with chromium() as browser:
        context = browser.new_context()
        host = live_server.url.split("//")[1].split(":")[0]
        context.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
        page = context.new_page()
        page.goto(live_server.url + sheet_url(article))
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        context.close()
    assert pdf.startswith(b"%PDF")
    # One A4 page: the page tree counts one page, 595×842 points.
    assert re.findall(rb"/Count (\d+)", pdf) == [b"1"]
    assert re.search(rb"/MediaBox \[0 0 594\.\d+ 841\.\d+\]|/MediaBox \[0 0 595 842\]", pdf)
