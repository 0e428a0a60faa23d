"""``import_issue FILE --replace``: the issue is rewritten in place, and what the file does
not carry stays — 封面, PDF, 公开范围, 出版日期, the 流程记录 (plus one line), and the ids
of the articles matched by 目录 position."""

import copy
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, ArticleEvent, Authorship, NewsItem
from articles.services import article_withdraw
from issues.importing.interchange import dumps, issue_export
from issues.importing.service import issue_import
from issues.models import Issue
from issues.services import issue_publish, issue_submit
from search.fulltext import search_articles
from tests.images import image_bytes, minimal_pdf
from tests.review import sign_all
from workflow.models import Status

from .conftest import ISSUE_2020_4


def found(query):
    """The articles a reader's search for ``query`` finds."""
    return search_articles(Article.objects.all(), query)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_index")]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_issue", *map(str, args), stdout=out, stderr=err)
    return out.getvalue()


def refused(*args):
    with pytest.raises(CommandError) as caught:
        call_command("import_issue", *map(str, args), stdout=io.StringIO(), stderr=io.StringIO())
    return str(caught.value)


@pytest.fixture
def edited(tmp_path, corpus_text):
    """The 2020-4 text with article 3's title changed."""
    path = tmp_path / "jczx-2020-04-corrected.md"
    path.write_text(
        corpus_text.replace("# 新时代人民政协的行动指南", "# 新时代人民政协行动指南"),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def chief_archivist(chief_editor):
    """The 主编, also in 档案员: may import, and publish."""
    chief_editor.groups.add(Group.objects.get(name="档案员"))
    return chief_editor


def record(obj):
    return [
        (e.from_label, e.to_label, e.user_label, e.note) for e in obj.events.order_by("at", "pk")
    ]


def article_ids(issue):
    return dict(issue.articles.values_list("toc_position", "pk"))


def test_a_replace_round_trip_keeps_files_record_visibility_and_article_ids(
    edited, archivist, chief_editor
):
    run(ISSUE_2020_4, "--status", "draft", "--user", "danganyuan")
    issue = Issue.objects.get()
    issue_submit(issue=issue, by=chief_editor)
    issue.refresh_from_db()
    # What an editor did after the import: files uploaded, the print's 内部资料 made
    # public, the publication date set.
    issue.cover = ContentFile(image_bytes(), name="cover.jpg")
    issue.pdf = ContentFile(minimal_pdf(), name="print.pdf")
    issue.visibility = "public"
    issue.pub_date = dt.date(2020, 8, 30)
    issue.save()
    cover, pdf, version = issue.cover.name, issue.pdf.name, issue.version
    ids = article_ids(issue)
    assert len(ids) == 12

    out = run(edited, "--replace", "--user", "danganyuan")  # no --status: stays 待审

    assert "已替换 2020年第4期（总第43期）" in out
    issue = Issue.objects.get()
    assert (issue.cover.name, issue.pdf.name) == (cover, pdf)
    assert issue.cover.storage.exists(cover) and issue.pdf.storage.exists(pdf)
    assert (issue.visibility, issue.pub_date, issue.status) == (
        "public",
        dt.date(2020, 8, 30),
        Status.REVIEW,
    )
    assert issue.version == version + 1  # an editor's form opened before gets a conflict
    assert article_ids(issue) == ids
    third = Article.objects.get(pk=ids[3])
    assert (third.title, third.status) == ("新时代人民政协行动指南", Status.DRAFT)
    assert record(issue) == [
        ("新建", "草稿", "danganyuan", "导入：jczx-2020-04.md"),
        ("草稿", "待审", "zhubian", ""),
        (
            "待审",
            "待审",
            "danganyuan",
            "以导入文件替换：jczx-2020-04-corrected.md"
            "（保留文章 12 篇，其中改动 1 篇；新增 0 篇，删除 0 篇）",
        ),
    ]
    assert record(third) == [
        ("草稿", "草稿", "danganyuan", "以导入文件替换：jczx-2020-04-corrected.md")
    ]
    first = Article.objects.get(pk=ids[1])  # not changed by the file: not touched
    assert (first.version, first.history.count(), record(first)) == (0, 1, [])
    history = third.history.order_by("history_date")
    assert [(h.title, h.history_user, h.history_change_reason) for h in history] == [
        ("新时代人民政协的行动指南", archivist, "导入：jczx-2020-04.md"),
        ("新时代人民政协行动指南", archivist, "以导入文件替换：jczx-2020-04-corrected.md"),
    ]
    # Bylines, 编委会, 本期导读 and 工作动态 are as the file says, nothing doubled.
    assert Authorship.objects.filter(article=third).count() == 1
    assert issue.masthead.count() == 9
    assert issue.highlights.count() == 5
    assert issue.news_items.count() == 35
    assert set(issue.news_items.values_list("article", flat=True)) == {ids[12]}
    # What was written is exactly the file: importing it again changes nothing.
    assert "未改变 2020年第4期（总第43期）" in run(edited, "--replace")


def test_a_replace_from_json_deletes_what_is_gone_adds_what_is_new_and_reindexes(
    real_search_index, tmp_path
):
    issue_import(path=ISSUE_2020_4, status=Status.DRAFT)
    issue = Issue.objects.get()
    ids = article_ids(issue)
    doc = issue_export(issue=issue)
    assert not any(h["article"] == 11 for h in doc["issue"]["highlights"])
    gone = doc["articles"].pop(10)  # 目录第11条
    assert gone["toc_position"] == 11
    doc["articles"][2]["title"] = "人民政协珐琅彩新篇"
    added = copy.deepcopy(doc["articles"][2])
    added.update(toc_position=13, title="委员履职琉璃瓦调研报告", page=50, end_page=50)
    added["body"] = "<p>琉璃瓦产业调研。</p>"
    doc["articles"].append(added)
    path = tmp_path / "2020-4.json"
    path.write_text(dumps(doc), encoding="utf-8")
    assert found(gone["title"]).filter(pk=ids[11]).exists()

    result = issue_import(path=path, replace=True)

    assert result.outcome == "replaced", result.problems
    assert "删除 1 篇：目录第11条《" in result.replaced
    assert not Article.objects.filter(pk=ids[11]).exists()
    new = issue.articles.get(toc_position=13)
    assert new.pk not in ids.values() and new.status == Status.DRAFT
    kept = {k: v for k, v in ids.items() if k != 11}
    assert {k: v for k, v in article_ids(issue).items() if k != 13} == kept
    assert list(found("珐琅彩").values_list("pk", flat=True)) == [ids[3]]
    assert list(found("琉璃瓦").values_list("pk", flat=True)) == [new.pk]
    assert not found(gone["title"]).exists()
    assert not found("新时代人民政协的行动指南").filter(pk=ids[3]).exists()


def test_a_published_issue_is_not_replaced_unless_the_state_is_said(edited):
    run(ISSUE_2020_4)
    issue = Issue.objects.get()
    message = refused(edited, "--replace")
    assert "2020年第4期（总第43期）已发布，替换会改变读者看到的内容" in message
    assert "--status published" in message and "--status draft" in message
    assert Article.objects.get(toc_position=3).title == "新时代人民政协的行动指南"
    assert len(record(issue)) == 1


def test_replacing_a_published_issue_keeping_it_published(edited, chief_archivist, archivist):
    """The 主编 replaces the text of a scheduled issue: it stays scheduled at its time, an
    article withdrawn by an editor stays withdrawn."""
    run(ISSUE_2020_4, "--status", "draft")
    issue = Issue.objects.get()
    issue_submit(issue=issue, by=chief_archivist)
    sign_all(issue)
    at = timezone.now() + dt.timedelta(days=3)
    issue_publish(issue=issue, by=chief_archivist, at=at)
    article_withdraw(article=issue.articles.get(toc_position=5), by=chief_archivist)
    ids = article_ids(issue)

    # The 档案员 may not change what readers will see.
    for status in ("published", "draft"):
        message = refused(edited, "--replace", "--status", status, "--user", "danganyuan")
        assert "用户 danganyuan 没有发布期刊的权限" in message
    out = run(edited, "--replace", "--status", "published", "--user", "zhubian")

    assert "状态：已发布；封面" in out  # scheduled: readers do not see it yet
    issue.refresh_from_db()
    assert (issue.status, issue.published_at) == (Status.PUBLISHED, at)
    assert not Issue.objects.published().exists()
    states = dict(issue.articles.values_list("toc_position", "status"))
    assert states[5] == Status.WITHDRAWN
    assert {s for k, s in states.items() if k != 5} == {Status.PUBLISHED}
    assert set(issue.articles.exclude(toc_position=5).values_list("published_at", flat=True)) == {
        at
    }
    assert article_ids(issue) == ids
    assert record(issue)[-1] == (
        "已发布",
        "已发布",
        "zhubian",
        "以导入文件替换：jczx-2020-04-corrected.md"
        "（保留文章 12 篇，其中改动 1 篇；新增 0 篇，删除 0 篇）",
    )
    # Only the article whose text changed is rewritten; the withdrawn one is untouched.
    assert record(issue.articles.get(toc_position=5))[-1][:3] == ("已发布", "已撤回", "zhubian")
    assert ArticleEvent.objects.filter(note__startswith="以导入文件替换").count() == 1


def test_a_live_issue_replaced_as_published_keeps_its_date_and_says_it(edited):
    run(ISSUE_2020_4)
    published_at = Issue.objects.get().published_at
    out = run(edited, "--replace", "--status", "published")
    assert "状态：已发布，读者看到的是新内容" in out
    issue = Issue.objects.get()
    assert issue.published_at == published_at
    assert Article.objects.published().get(toc_position=3).title == "新时代人民政协行动指南"
    assert record(issue)[-1][:3] == ("已发布", "已发布", "系统（命令行）")


def test_a_published_issue_replaced_as_draft_leaves_the_site(edited, chief_archivist):
    run(ISSUE_2020_4)
    ids = article_ids(Issue.objects.get())
    out = run(edited, "--replace", "--status", "draft", "--user", "zhubian")
    assert "状态：已发布 → 草稿" in out
    issue = Issue.objects.get()
    assert issue.status == Status.DRAFT
    assert not Issue.objects.published().exists() and not Article.objects.published().exists()
    assert set(issue.articles.values_list("status", flat=True)) == {Status.DRAFT}
    assert article_ids(issue) == ids
    assert record(issue)[-1][:3] == ("已发布", "草稿", "zhubian")
    assert ArticleEvent.objects.filter(to_status=Status.DRAFT, user=chief_archivist).count() == 12


def test_a_dry_run_replace_says_what_differs_and_writes_nothing(edited):
    run(ISSUE_2020_4, "--status", "draft")
    issue = Issue.objects.get()
    version = issue.version
    out = run(edited, "--replace", "--dry-run")
    assert "将替换（试运行） 2020年第4期（总第43期）" in out
    assert "不同：目录第3条《新时代人民政协行动指南》：title、toc_title 不同" in out
    issue.refresh_from_db()
    assert issue.version == version and len(record(issue)) == 1
    assert Article.objects.get(toc_position=3).title == "新时代人民政协的行动指南"


def test_a_replace_is_all_or_nothing(edited, monkeypatch):
    run(ISSUE_2020_4, "--status", "draft")
    issue = Issue.objects.get()
    ids = article_ids(issue)
    bylines = list(Authorship.objects.order_by("pk").values_list("pk", "article", "person"))
    assert len(bylines) == 11

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(NewsItem.objects, "bulk_create", boom)
    with pytest.raises(RuntimeError):
        run(edited, "--replace")
    issue.refresh_from_db()
    assert article_ids(issue) == ids
    assert Article.objects.get(pk=ids[3]).title == "新时代人民政协的行动指南"
    assert issue.news_items.count() == 35 and issue.highlights.count() == 5
    assert list(Authorship.objects.order_by("pk").values_list("pk", "article", "person")) == bylines
    assert len(record(issue)) == 1 and issue.version == 0


def test_a_replace_takes_a_bounded_number_of_queries(tmp_path):
    issue_import(path=ISSUE_2020_4, status=Status.DRAFT)
    doc = issue_export(issue=Issue.objects.get())
    for article in doc["articles"]:  # every article rewritten, bylines included
        article["title"] += "（修订）"
        for author in article["authors"]:
            author["title"] += "（修订）"
    path = tmp_path / "2020-4.json"
    path.write_text(dumps(doc), encoding="utf-8")
    issue = Issue.objects.get()
    replaced_wholesale = issue.news_items.count() + issue.highlights.count()
    with CaptureQueriesContext(connection) as queries:
        result = issue_import(path=path, replace=True)
    assert "保留文章 12 篇，其中改动 12 篇" in result.replaced
    # The comparison with the stored issue (export) and the save are in bulk: the count
    # does not grow with the number of articles. The 本期导读 and 工作动态 rows replaced
    # wholesale each end their history with a deletion row (simple-history's delete
    # signal, one insert a row). The images the articles show (ArticleImage) add a
    # fixed handful; so does the page cache, which reads the rows each write statement
    # changes (one or two SELECTs a statement: pagecache.scopes) and upserts their
    # scopes' tokens at COMMIT.
    assert len(queries) < 110 + replaced_wholesale  # 107 in all when measured


def test_issue_save_with_replace_rewrites_in_place(issue_2020_4):
    """The save function's own ``replace`` (what other callers of build.py use)."""
    from issues.importing.build import SaveRefused, issue_save
    from issues.importing.interchange import document_from_parsed

    document = document_from_parsed(issue_2020_4)
    first = issue_save(document=document, status=Status.DRAFT)
    ids = article_ids(first)
    with pytest.raises(SaveRefused, match="2020年第4期（总第43期）已经存在"):
        issue_save(document=document)
    document["articles"][0]["title"] = "改过的标题"
    again = issue_save(document=document, replace=True)
    assert again.pk == first.pk and article_ids(again) == ids
    assert (again.status, Article.objects.get(pk=ids[1]).title) == (Status.DRAFT, "改过的标题")
