"""import_issue FILE --dry-run --report report.html: the archivist's check by eye."""

import html
import io
import re

import pytest
from django.core.management import CommandError, call_command

from issues.models import Issue
from tests.browser import chromium

from .conftest import ISSUE_2020_4

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_index")]


@pytest.fixture
def converted(tmp_path, corpus_text):
    """2020年第4期 as another conversion gave it: 目录 page 36 misprinted as 35, and a
    running head where a page break cut a paragraph."""
    text = corpus_text.replace("- 36 高举伟大旗帜", "- 35 高举伟大旗帜")
    text = text.replace(
        "争取全年\n\n经济发展好成绩。",
        "争取全年\n\n· 2 ·\n\n晋城政协 2020年第4期\n\n经济发展好成绩。",
    )
    path = tmp_path / "jczx-2020-04-other.md"
    path.write_text(text, encoding="utf-8")
    return path


def report_of(*args):
    out = io.StringIO()
    call_command("import_issue", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def text_of(page):
    """The report as a reader sees it: tags out, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_dry_run_report_shows_what_the_import_would_make(tmp_path, converted):
    report = tmp_path / "report.html"
    out = report_of(str(converted), "--dry-run", "--report", str(report))
    assert f"检查报告已写入 {report}" in out
    assert Issue.objects.count() == 0
    page = report.read_text(encoding="utf-8")
    seen = text_of(page)
    assert "将创建（试运行）：2020年第4期（总第43期）" in seen
    assert "目录 12 条，正文找到 12 篇" in seen
    assert "工作动态 35 条" in seen
    # The 目录 as parsed: position, column, pages, 下转, title, byline, 目录 line, text
    # line (the two furniture lines and their blank lines moved the text by four).
    assert (
        "7 会议专题 33–34 下转 17 关于制定《中共晋城市委关于新时代加强和改进人民政协工作的"
        "实施意见》的说明 姚逊 82 518"
    ) in seen
    # First and last sentence of an article.
    assert (
        "开头： 新华社北京7月21日电 中共中央总书记、国家主席、中央军委主席习近平7月21日"
        "下午在京主持召开企业家座谈会并发表重要讲话。"
    ) in seen
    assert (
        "结尾： 中央和国家机关有关部门、有关人民团体负责同志，国有企业、民营企业、外资企业、"
        "港澳台资企业、个体工商户代表等参加座谈会。"
    ) in seen
    # The join at the page break, both halves, and the furniture dropped there.
    assert (
        "1 112 → 118 …情况比预料的要好。我们要增强信心、迎难而上，努力把疫情造成的损失补回来，"
        "争取全年 经济发展好成绩。…"
    ) in seen
    assert "114 页码 · 2 ·" in seen
    assert "116 页眉 晋城政协 2020年第4期" in seen
    # The continued part moved, where from and why.
    assert (
        "312 第4篇《沿着习近平总书记指引的金光大道奋勇前进 解放思想先行先试狠抓落实 "
        "在新赛道上开创新时代美丽晋城高质量转型发展新局面》中 "
        "第7篇《关于制定《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》的说明》 "
        "第570行（下转17页）↔（上接35页） 全面推进政协系统党的建设"
    ) in seen
    # The warning of the import (the 康养 item has no headline).
    assert "713 注意 目录第11条" in seen
    # One file, nothing fetched from elsewhere.
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assert "<script" not in page


def test_a_refused_file_gets_a_report_naming_the_faults(tmp_path, corpus_text):
    path = tmp_path / "unpaired.md"
    path.write_text(corpus_text.replace("以党的政治建设为统领,(下转17页)", "以党的政治建设为统领,"))
    report = tmp_path / "report.html"
    with pytest.raises(CommandError, match="未写入"):
        report_of(str(path), "--dry-run", "--report", str(report))
    seen = text_of(report.read_text(encoding="utf-8"))
    assert "拒绝：2020年第4期（总第43期）" in seen
    assert "308 错误（不导入） （上接35页）找不到对应的（下转…页）" in seen


def test_a_file_that_is_no_issue_at_all_still_gets_a_report(tmp_path):
    path = tmp_path / "empty.md"
    path.write_text("晋城政协\n")
    report = tmp_path / "report.html"
    with pytest.raises(CommandError):
        report_of(str(path), "--dry-run", "--report", str(report))
    assert "找不到目录" in text_of(report.read_text(encoding="utf-8"))


def test_a_report_is_about_one_text_file(tmp_path):
    with pytest.raises(CommandError, match="--report 只用于单个数字化文本文件"):
        report_of(str(ISSUE_2020_4), str(ISSUE_2020_4), "--report", str(tmp_path / "r.html"))
    assert not (tmp_path / "r.html").exists()


def test_the_report_in_a_browser(tmp_path, converted):
    """Chromium opens the file on its own (no server, nothing else loaded); the two
    halves of a join stand side by side; the faults table heads the page."""
    report = tmp_path / "report.html"
    report_of(str(converted), "--dry-run", "--report", str(report))
    requests = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report.as_uri())
        assert page.title() == f"导入检查：{converted}"
        left, right = page.locator(".halves").first.locator("div").all()
        a, b = left.bounding_box(), right.bounding_box()
        assert a["x"] + a["width"] <= b["x"] and abs(a["y"] - b["y"]) < 2
        headings = page.locator("h2").all_inner_texts()
        assert headings[:3] == ["错误与注意", "目录（按解析结果）", "文章：开头与结尾"]
        assert page.locator("#toc tr, #toc ~ table tr").count() >= 13
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert requests == [report.as_uri()]
