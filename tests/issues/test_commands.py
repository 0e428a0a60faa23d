"""import_issue and export_issue as an archivist runs them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, NewsItem
from issues.corpus import generate_corpus
from issues.importing.interchange import dumps, issue_export
from issues.models import Issue
from members.models import Person
from tests.planner import analyze_counts, analyzed_since, postgresql_only

from .conftest import ISSUE_2020_4

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_index")]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=io.StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


def counts():
    return Issue.objects.count(), Article.objects.count(), Person.objects.count()


def test_import_text(db):
    out, _ = run("import_issue", str(ISSUE_2020_4))
    assert f"{ISSUE_2020_4}：已创建 2020年第4期（总第43期）：文章 12 篇，工作动态 35 条" in out
    assert "注意：第709行" in out  # the item found without a headline is pointed out
    assert counts()[:2] == (1, 12)


def test_reimport_of_the_same_file_changes_nothing(db):
    run("import_issue", str(ISSUE_2020_4))
    issue = Issue.objects.get()
    before = (issue.updated_at, Article.objects.order_by("pk").values_list("pk", "updated_at")[0])
    out, _ = run("import_issue", str(ISSUE_2020_4))
    assert "未改变 2020年第4期（总第43期）" in out
    issue.refresh_from_db()
    assert (
        issue.updated_at,
        Article.objects.order_by("pk").values_list("pk", "updated_at")[0],
    ) == before
    assert issue.history.count() == 1


def test_different_content_is_refused_unless_replace(db, tmp_path, corpus_text):
    run("import_issue", str(ISSUE_2020_4))
    edited = tmp_path / "edited.md"
    edited.write_text(
        corpus_text.replace("# 新时代人民政协的行动指南", "# 新时代人民政协行动指南"),
        encoding="utf-8",
    )
    message, err = refused("import_issue", str(edited))
    assert "1 个文件被拒绝" in message
    assert "2020年第4期（总第43期）已经存在，内容不同" in message
    assert "目录第3条《新时代人民政协行动指南》：title、toc_title 不同" in message
    assert "--replace" in message
    assert "拒绝" in err
    assert Article.objects.get(toc_position=3).title == "新时代人民政协的行动指南"

    # The issue is published: whoever replaces it says whether the new text goes live.
    message, _ = refused("import_issue", str(edited), "--replace")
    assert "2020年第4期（总第43期）已发布，替换会改变读者看到的内容" in message
    assert "--status published" in message and "--status draft" in message

    out, _ = run("import_issue", str(edited), "--replace", "--status", "published")
    assert "已替换 2020年第4期（总第43期）" in out
    assert "不同：目录第3条《新时代人民政协行动指南》：title、toc_title 不同" in out
    assert (
        "保留文章 12 篇，其中改动 1 篇；新增 0 篇，删除 0 篇；状态：已发布，读者看到的是新内容；"
        "封面、PDF、公开范围和流程记录保留"
    ) in out
    assert Article.objects.get(toc_position=3).title == "新时代人民政协行动指南"
    assert counts()[:2] == (1, 12)


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("gbk", 3, "不是 UTF-8"),
        ("empty", 1, "文件是空的"),
        ("notoc", 58, "找不到目录"),
        ("nocover", 1, "找不到封面"),
    ],
)
def test_unreadable_files_are_refused_with_file_line_and_reason(
    db, tmp_path, corpus_text, content, line, reason
):
    lines = corpus_text.split("\n")
    data = {
        "gbk": corpus_text.encode("gbk", errors="replace"),
        "empty": b"",
        "notoc": "\n".join(lines[:56] + lines[98:]).encode(),
        "nocover": "\n".join(lines[29:]).encode(),
    }[content]
    path = tmp_path / f"{content}.md"
    path.write_bytes(data)
    message, _ = refused("import_issue", str(path))
    assert f"{path}:{line}: " in message and reason in message
    assert counts() == (0, 0, 0)


def test_missing_article_is_an_error_unless_allow_partial(db, tmp_path, corpus_text):
    lines = corpus_text.split("\n")
    path = tmp_path / "cut.md"
    path.write_text("\n".join(lines[: int(len(lines) * 0.4)]), encoding="utf-8")
    message, _ = refused("import_issue", str(path))
    assert (
        f"{path}:80: 目录第6条（会议专题 第26页"
        "《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》）" in message
    )
    assert "第49页《工作动态》" in message
    assert counts() == (0, 0, 0)

    out, _ = run("import_issue", str(path), "--allow-partial")
    assert "已创建 2020年第4期（总第43期）：文章 5 篇" in out
    assert "（已跳过）" in out
    assert list(Article.objects.values_list("toc_position", flat=True)) == [1, 2, 3, 4, 5]


def test_dry_run_describes_and_writes_nothing(db):
    out, _ = run("import_issue", str(ISSUE_2020_4), "--dry-run")
    assert "将创建（试运行） 2020年第4期（总第43期）" in out
    assert "期刊 2020年第4期（总第43期）：编委会 9 人，本期导读 5 条" in out
    assert "   8. 会议专题 第36–43页《高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章》" in out
    assert "作者：高平市委书记 胡晓刚、市教育局党组书记、局长 李志忠" in out
    assert "  10. 社情民意 第46页《多措并举重启消费回暖的建议》" in out
    assert "段落 25" in out  # 学习论坛
    assert "工作动态 35 条" in out
    assert counts() == (0, 0, 0)


def test_folder_batch_with_summary(db, tmp_path, corpus_text):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a-2020-04.md").write_text(corpus_text, encoding="utf-8")
    (folder / "b-old.md").write_bytes(corpus_text.encode("gbk", errors="replace"))
    (folder / "c-2020-04-again.md").write_text(corpus_text, encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"not an issue")
    out = io.StringIO()
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_issue", str(folder), stdout=out, stderr=err)
    out = out.getvalue()
    assert f"[1/3] {folder / 'a-2020-04.md'}：已创建 2020年第4期（总第43期）" in out
    assert f"[2/3] {folder / 'b-old.md'}：拒绝" in err.getvalue()
    assert f"[3/3] {folder / 'c-2020-04-again.md'}：未改变" in out
    summary = out.split("结果汇总：")[1]
    assert "已创建" in summary and "未改变" in summary and "第3行：文件不是 UTF-8" in summary
    assert "合计：已创建 1，拒绝 1，未改变 1" in summary
    assert "1 个文件被拒绝" in str(caught.value)
    assert counts()[:2] == (1, 12)


@postgresql_only
def test_a_batch_import_analyzes_the_tables_it_filled_once_at_the_end(db, tmp_path):
    generate_corpus(issues=2, articles_per_issue=3, news_per_issue=2)
    folder = tmp_path / "archive"
    folder.mkdir()
    for issue in Issue.objects.all():
        (folder / f"{issue.year}-{issue.number}.json").write_text(
            dumps(issue_export(issue=issue)), encoding="utf-8"
        )
    Issue.objects.all().delete()
    tables = (Issue, Article, NewsItem, Person)
    before = analyze_counts(*tables)
    run("import_issue", str(folder))
    assert Issue.objects.count() == 2
    assert set(analyzed_since(before, *tables).values()) == {1}

    before = analyze_counts(*tables)
    run("import_issue", str(folder))  # unchanged: nothing written, nothing to analyze
    run("import_issue", str(ISSUE_2020_4), "--dry-run")
    assert set(analyzed_since(before, *tables).values()) == {0}


def test_json_file_and_status(db, tmp_path):
    run("import_issue", str(ISSUE_2020_4), "--status", "draft")
    path = tmp_path / "2020-4.json"
    out, _ = run("export_issue", "2020", "4", "-o", str(path))
    assert f"已导出 2020年第4期（总第43期） 到 {path}" in out
    Issue.objects.all().delete()
    run("import_issue", str(path))
    issue = Issue.objects.get()
    assert issue.status == "published"
    assert issue.articles.count() == 12


def test_export_to_stdout(db):
    run("import_issue", str(ISSUE_2020_4))
    out, _ = run("export_issue", "2020", "4")
    doc = json.loads(out)
    assert doc["format"] == "jczx-issue"
    assert [a["page"] for a in doc["articles"]][:3] == [1, 4, 7]


def test_export_of_a_missing_issue(db):
    message, _ = refused("export_issue", "1999", "1")
    assert message == "没有1999年第1期"


def test_missing_path(db, tmp_path):
    message, _ = refused("import_issue", str(tmp_path / "nope.md"))
    assert "找不到文件" in message


def test_bootstrap_imports_the_demo_issue(db):
    out, _ = run("bootstrap")
    assert "已创建 2020年第4期（总第43期）" in out
    issue = Issue.objects.get()
    assert issue.articles.count() == 12
    # Printed 内部资料, but the demo is for every reader of the quick-start site.
    assert issue.visibility == "public"
    assert Issue.objects.visible_to(None).get() == issue
