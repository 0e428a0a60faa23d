"""Readable 网址名 for columns: pinyin made on the server, unique, editable."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from articles.models import Column
from articles.slugs import pinyin_slug
from tests.forms import form_data

pytestmark = pytest.mark.django_db

STANDING = [
    ("高层声音", "gaocengshengyin"),
    ("学习论坛", "xuexiluntan"),
    ("本期关注", "benqiguanzhu"),
    ("会议专题", "huiyizhuanti"),
    ("社情民意", "sheqingminyi"),
    ("工作动态", "gongzuodongtai"),
]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("委员风采", "weiyuanfengcai"),
        ("绿色发展", "lvsefazhan"),
        ("G20峰会", "g20fenghui"),
        ("２０２０两会", "2020lianghui"),  # full-width digits folded
        ("学习·论坛", "xuexi-luntan"),
        ("·—", "lanmu"),  # nothing to spell
    ],
)
def test_pinyin_slug(name, slug):
    assert pinyin_slug(name) == slug


def test_pinyin_slug_fits_the_field():
    assert pinyin_slug("政" * 40) == ("zheng" * 12)
    assert len(pinyin_slug("政" * 40, max_length=20)) == 20


def test_a_column_saved_without_a_slug_gets_its_pinyin_made_unique():
    first = Column.objects.create(name="委员风采")
    homophone = Column.objects.create(name="委员风彩")  # 彩 and 采 are both cai
    third = Column.objects.create(name="委員風采")  # the traditional spelling
    assert [first.slug, homophone.slug, third.slug] == [
        "weiyuanfengcai",
        "weiyuanfengcai-2",
        "weiyuanfengcai-3",
    ]
    assert first.get_absolute_url() == "/columns/weiyuanfengcai/"


def test_a_slug_given_is_kept():
    assert Column.objects.create(name="委员风采", slug="fengcai").slug == "fengcai"


def test_the_standing_columns_exist_without_bootstrap():
    """The test database is migrated and nothing else, like a production site that never
    ran the quick start's bootstrap."""
    assert list(Column.objects.values_list("name", "slug")) == STANDING


def test_the_standing_columns_migration_adds_only_what_is_missing():
    migration = importlib.import_module("articles.migrations.0007_standing_columns")
    Column.objects.filter(name="本期关注").delete()
    # An editor renamed one column (its 网址名 kept) and changed another's 网址名.
    Column.objects.filter(slug="xuexiluntan").update(name="理论学习")
    Column.objects.filter(name="社情民意").update(slug="minyi")

    class Editor:  # what RunPython hands the function
        pass

    editor = Editor()
    editor.connection = connection
    migration.add_standing_columns(apps, editor)
    migration.add_standing_columns(apps, editor)
    assert list(Column.objects.order_by("pk").values_list("name", "slug")) == [
        ("高层声音", "gaocengshengyin"),
        ("理论学习", "xuexiluntan"),
        ("会议专题", "huiyizhuanti"),
        ("社情民意", "minyi"),
        ("工作动态", "gongzuodongtai"),
        ("本期关注", "benqiguanzhu"),
    ]


def test_an_editor_adds_a_column_in_the_admin_leaving_the_slug_blank(editor_client):
    url = reverse("admin:articles_column_add")
    data = form_data(editor_client.get(url), "column_form")
    data.update(name="委员风采", slug="", position="7")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Column.objects.get(name="委员风采").slug == "weiyuanfengcai"

    # A second one spelled the same gets a suffix; one typed by the editor is kept.
    data.update(name="委员风彩", slug="")
    assert editor_client.post(url, data).status_code == 302
    data.update(name="委员之声", slug="shengyin")
    assert editor_client.post(url, data).status_code == 302
    assert Column.objects.get(name="委员风彩").slug == "weiyuanfengcai-2"
    assert Column.objects.get(name="委员之声").slug == "shengyin"


def test_an_editor_changes_a_slug_and_a_taken_one_is_refused(editor_client):
    column = Column.objects.get(name="社情民意")
    url = reverse("admin:articles_column_change", args=[column.pk])
    data = form_data(editor_client.get(url), "column_form")
    data["slug"] = "gaocengshengyin"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "具有 网址名 的 栏目 已存在。" in response.content.decode()
    data["slug"] = "minyi"
    assert editor_client.post(url, data).status_code == 302
    column.refresh_from_db()
    assert column.slug == "minyi"
