"""Saving a parsed issue: what lands in the database."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Authorship, Column, Highlight, NewsItem
from issues.importing.build import issue_save
from issues.importing.document import BodyBlock
from issues.importing.interchange import body_html, document_from_parsed
from issues.importing.service import issue_import
from issues.models import Issue, MastheadEntry
from members.models import Person
from workflow.models import Status

from .conftest import ISSUE_2020_4

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_index")]


def test_issue_and_contact_block(imported):
    assert str(imported) == "2020年第4期（总第43期）"
    assert (imported.host, imported.address, imported.email) == (
        "政协晋城市委员会",
        "山西省晋城市凤台西街289号",
        "jczxbjb@126.com",
    )
    assert (imported.phone, imported.postcode, imported.website) == (
        "(0356)2198273",
        "048000",
        "http://zx.jconline.cn",
    )
    # The print says 内部资料: only signed-in readers see it unless an editor decides.
    assert imported.visibility == "internal"
    assert imported.status == Status.PUBLISHED and imported.published_at is not None


def test_masthead_in_printed_order(imported):
    assert [(m.role, m.person.name) for m in imported.masthead.all()] == [
        ("主任", "常国荣"),
        ("编委", "崔守安"),
        ("编委", "武四海"),
        ("编委", "阴建正"),
        ("编委", "郭向阳"),
        ("编委", "焦新文"),
        ("主编", "和贵喜"),
        ("副主编", "许国胜"),
        ("副主编", "何莉"),
    ]


def test_articles_in_toc_order_with_columns_and_pages(imported):
    rows = [
        (a.toc_position, a.column.name, a.start_page, a.end_page, a.continuation_pages)
        for a in imported.articles.in_toc_order()
    ]
    assert rows == [
        (1, "高层声音", 1, 3, []),
        (2, "高层声音", 4, 6, []),
        (3, "学习论坛", 7, 13, []),
        (4, "本期关注", 14, 17, []),
        (5, "会议专题", 18, 25, []),
        (6, "会议专题", 26, 32, [43]),
        (7, "会议专题", 33, 35, [17]),
        (8, "会议专题", 36, 43, []),
        (9, "社情民意", 44, 45, []),
        (10, "社情民意", 46, 46, [45]),
        (11, "社情民意", 47, 48, []),
        (12, "工作动态", 49, 49, []),
    ]
    plenum = imported.articles.get(toc_position=4)
    assert plenum.toc_title == "中共晋城市委七届九次全体会议召开"  # differs from the headline
    assert imported.articles.get(toc_position=3).toc_title == ""  # same as the headline
    first = imported.articles.get(toc_position=1)
    assert (first.kicker, first.source, first.event_date) == (
        "习近平主持召开企业家座谈会强调",
        "新华社",
        dt.date(2020, 7, 21),
    )


def test_body_html(imported):
    digest = imported.articles.get(toc_position=8)
    assert digest.body.startswith(
        "<h3>加强党的领导 强化履职保障 推动新时代政协工作提质增效</h3>\n"
        '<p class="speaker">高平市委书记 胡晓刚</p>\n<p>近年来,高平市委'
    )
    assert digest.body.count("<h3>") == 4
    assert digest.body.count('<p class="speaker">') == 4
    assert digest.editors_note.startswith("<p>2020年7月14日下午,市委政协工作会议召开。")
    speech = imported.articles.get(toc_position=5)
    assert "<h3>一、提高政治站位，切实增强做好新时代政协工作的责任感和使命感</h3>" in speech.body
    assert "<p>二要进一步加大民主监督力度。</p>" in speech.body
    study = imported.articles.get(toc_position=3)
    assert study.author_note.startswith("作者系全国政协文化文史和学习委员会副主任")


def test_bylines_keep_titles_off_the_person(imported):
    note = imported.articles.get(toc_position=7)
    (byline,) = note.authorships.all()
    assert (byline.person.name, byline.byline_title, byline.role) == ("姚逊", "市委副书记", "作者")
    assert byline.person.position == ""
    digest = imported.articles.get(toc_position=8)
    assert [(s.person.name, s.byline_title, s.role) for s in digest.authorships.all()] == [
        ("胡晓刚", "高平市委书记", "发言"),
        ("李志忠", "市教育局党组书记、局长", "发言"),
        ("李正根", "泽州县政协党组书记、主席", "发言"),
        ("原红海", "阳城县润城镇党委书记", "发言"),
    ]
    # 李正根 speaks in the 发言摘编 and reports in 社情民意: one person, two bylines.
    assert Person.objects.filter(name="李正根").count() == 1
    roles = Authorship.objects.filter(person__name="李正根").values_list("role", flat=True)
    assert sorted(roles) == ["反映", "发言"]


def test_existing_people_are_found_by_exact_name(db):
    chang = Person.objects.create(name="常国荣", position="市政协主席")
    issue_import(path=ISSUE_2020_4)
    assert Person.objects.filter(name="常国荣").get() == chang
    assert MastheadEntry.objects.get(role="主任").person == chang
    assert NewsItem.objects.filter(people=chang).count() == 5


def test_highlights(imported):
    assert [(h.position, h.article.toc_position, h.text) for h in imported.highlights.all()] == [
        (1, 1, "习近平:激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展"),
        (2, 2, "习近平:着眼长远把握大势开门问策 集思广益 研究新情况作出新规划"),
        (3, 4, "中共晋城市委七届九次全体会议召开"),
        (4, 5, "张志川在市委政协工作会议上的讲话"),
        (5, 6, "中共晋城市委关于新时代加强和改进人民政协工作的实施意见"),
    ]


def test_news_items(imported):
    items = list(imported.news_items.all())
    assert len(items) == 35
    news_article = imported.articles.get(toc_position=12)
    assert all(item.article == news_article for item in items)
    assert news_article.body == ""
    first = items[0]
    assert (first.date, first.part_of_day, first.position) == (dt.date(2020, 7, 1), "上午", 1)
    assert [p.name for p in first.people.all()] == ["武四海"]
    ranged = [i for i in items if i.end_date]
    assert [i.date_label for i in ranged] == [
        "7月29日至31日",
        "8月5日至6日",
        "8月17日至21日",
        "8月20日至21日",
    ]


def test_draft_status(db):
    issue_import(path=ISSUE_2020_4, status=Status.DRAFT)
    issue = Issue.objects.get()
    assert issue.status == Status.DRAFT and issue.published_at is None
    assert set(issue.articles.values_list("status", flat=True)) == {Status.DRAFT}
    assert not Issue.objects.published().exists()
    assert not Article.objects.published().exists()


def test_published_import_is_visible_to_signed_in_readers(imported, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="x")
    assert Article.objects.visible_to(reader).count() == 12
    assert Article.objects.visible_to(None).count() == 0  # 内部资料
    issue_import(path=ISSUE_2020_4, visibility="public", replace=True, status=Status.PUBLISHED)
    assert Article.objects.visible_to(None).count() == 12


def test_a_new_column_gets_the_pinyin_of_its_name(db, corpus_text, tmp_path):
    path = tmp_path / "renamed.md"
    path.write_text(corpus_text.replace("### ◎ 社情民意", "### ◎ 委员风采"), encoding="utf-8")
    assert issue_import(path=path).outcome == "created"
    column = Column.objects.get(name="委员风采")
    assert (column.slug, column.position) == ("weiyuanfengcai", 7)
    # The standing columns (a data migration) are used as they are, none invented.
    assert Column.objects.get(name="社情民意").articles.count() == 0
    assert not Column.objects.filter(slug__startswith="lanmu").exists()
    assert Column.objects.count() == 7


def test_history_rows_are_written(imported):
    article = imported.articles.get(toc_position=1)
    assert article.history.count() == 1
    assert imported.history.count() == 1
    # Everything else the import creates that has a history starts it too.
    item = imported.news_items.first()
    assert [h.history_type for h in item.history.all()] == ["+"]
    assert imported.highlights.first().history.count() == 1
    author = Authorship.objects.filter(article__issue=imported).first().person
    assert [h.name for h in author.history.all()] == [author.name]


def test_all_or_nothing(db, monkeypatch, issue_2020_4):
    document = document_from_parsed(issue_2020_4)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(NewsItem.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        issue_save(document=document)
    assert Issue.objects.count() == 0
    assert Article.objects.count() == 0
    assert Person.objects.count() == 0
    assert Column.objects.count() == 6  # the standing ones (a data migration)


def test_save_takes_a_bounded_number_of_queries(db, issue_2020_4):
    document = document_from_parsed(issue_2020_4)
    with CaptureQueriesContext(connection) as queries:
        issue_save(document=document)
    # Columns are looked up one by one when created (each with its history row);
    # everything else is in bulk, history rows included.
    assert len(queries) < 50


def test_each_article_is_indexed_once_with_its_bylines(db, real_search_index, monkeypatch):
    from search import fulltext as search

    indexed = []
    original = search.index_parts

    def spy(article, *, bylines):
        indexed.append((article.toc_position, bylines))
        return original(article, bylines=bylines)

    monkeypatch.setattr(search, "index_parts", spy)
    issue_import(path=Path(ISSUE_2020_4))
    assert sorted(position for position, _ in indexed) == list(range(1, 13))
    assert dict(indexed)[7] == "市委副书记 姚逊"


def test_text_is_escaped_not_interpreted(db, corpus_text, tmp_path):
    path = tmp_path / "xss.md"
    path.write_text(
        corpus_text.replace(
            "丁薛祥、刘鹤、杨洁篪", '<script>alert(1)</script><img src=x onerror="alert(2)">丁薛祥'
        ),
        encoding="utf-8",
    )
    issue_import(path=path)
    body = Article.objects.get(toc_position=1).body
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_body_html_escapes_each_block():
    html = body_html([BodyBlock("paragraph", "a < b & c"), BodyBlock("heading", "一、总体要求")])
    assert html == "<p>a &lt; b &amp; c</p>\n<h3>一、总体要求</h3>"


def test_search_index_is_filled(db, real_search_index):
    issue_import(path=Path(ISSUE_2020_4))
    texts = dict(Article.objects.values_list("toc_position", "search_text"))
    assert all(texts.values())
    assert "胡晓刚" in texts[8] and "药茶" in texts[9]
    assert Highlight.objects.count() == 5
