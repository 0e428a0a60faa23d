"""Damaged variants of the corpus, derived here (the corpus file itself is never edited),
and an issue laid out differently from 2020-4."""

import datetime as dt

import pytest

from issues.importing import ParseError, parse_bytes, parse_issue, parse_text
from issues.importing.document import HEADING, SPEAKER, SPEECH_HEADING


def shape(issue):
    """What must not change when only the encoding details of the file change."""
    return (
        (issue.year, issue.number, issue.total_number),
        [(a.column, a.start_page, a.end_page, a.title, a.found) for a in issue.articles],
        [(a.name, a.title) for art in issue.articles for a in art.authors],
        [len(a.body) for a in issue.articles],
        [a.continuation_pages for a in issue.articles],
        [(n.date, n.end_date, n.part_of_day) for n in issue.news_items],
        [h.toc_position for h in issue.highlights],
        [(e.role, e.names) for e in issue.editorial_board],
    )


def test_crlf_line_endings(issue_2020_4, corpus_text):
    issue = parse_bytes(corpus_text.replace("\n", "\r\n").encode(), "crlf.md")
    assert shape(issue) == shape(issue_2020_4)
    assert issue.articles[0].body[0].text == issue_2020_4.articles[0].body[0].text


def test_utf8_bom(issue_2020_4, corpus_text):
    issue = parse_bytes(b"\xef\xbb\xbf" + corpus_text.encode(), "bom.md")
    assert shape(issue) == shape(issue_2020_4)


def test_file_on_disk_with_bom_and_crlf(tmp_path, issue_2020_4, corpus_text):
    path = tmp_path / "issue.md"
    path.write_bytes(b"\xef\xbb\xbf" + corpus_text.replace("\n", "\r\n").encode())
    assert shape(parse_issue(path)) == shape(issue_2020_4)


FULL = {":": "：", "(": "（", ")": "）", ",": "，", ";": "；", "!": "！"}


@pytest.mark.parametrize("table", [FULL, {v: k for k, v in FULL.items()}], ids=["full", "half"])
def test_full_and_half_width_punctuation(issue_2020_4, corpus_text, table):
    issue = parse_text(corpus_text.translate(str.maketrans(table)), "punct.md")
    assert shape(issue) == shape(issue_2020_4)
    assert issue.contact.phone == "(0356)2198273"
    assert issue.errors == []


def test_gbk_file_is_refused_naming_file_and_line(tmp_path, corpus_text):
    path = tmp_path / "gbk.md"
    path.write_bytes(corpus_text.encode("gbk", errors="replace"))
    with pytest.raises(ParseError) as caught:
        parse_issue(path)
    err = caught.value
    assert err.file == str(path)
    assert err.line == 3  # the first non-ASCII line: # 晋城政协
    assert "不是 UTF-8" in err.reason
    assert str(path) in str(err)


def test_utf16_file_is_refused():
    with pytest.raises(ParseError, match="UTF-16"):
        parse_bytes("# 晋城政协".encode("utf-16"), "u16.md")


@pytest.mark.parametrize("data", [b"", b"   \n\n \r\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data):
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "empty.md")
    assert caught.value.reason == "文件是空的"
    assert str(caught.value) == "empty.md:1: 文件是空的"


def test_truncated_file_names_the_missing_articles(corpus_text):
    lines = corpus_text.split("\n")
    issue = parse_text("\n".join(lines[: int(len(lines) * 0.4)]), "cut.md")
    assert [a.start_page for a in issue.articles if a.found] == [1, 4, 7, 14, 18]
    assert [a.start_page for a in issue.articles if not a.found] == [26, 33, 36, 44, 46, 47, 49]
    assert len(issue.errors) == 7
    first = issue.errors[0]
    assert (first.file, first.line) == ("cut.md", 80)  # the TOC line of the missing entry
    assert "第26页《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》" in first.reason
    assert "正文里找不到这篇文章" in first.reason
    with pytest.raises(ParseError) as caught:
        issue.raise_for_errors()
    assert len(caught.value.problems) == 7


def test_truncated_mid_character(corpus_text):
    data = corpus_text.encode()
    cut = data[: int(len(data) * 0.4)]
    try:
        issue = parse_bytes(cut, "cut.md")
    except ParseError as err:  # the cut fell inside a character
        assert "不是 UTF-8" in err.reason
    else:
        assert len(issue.errors) == 7


def test_missing_toc(corpus_text):
    lines = corpus_text.split("\n")
    text = "\n".join(lines[:56] + lines[98:])  # drop 目录 … 工作动态
    with pytest.raises(ParseError) as caught:
        parse_text(text, "notoc.md")
    err = caught.value
    assert err.line == 58  # where the TOC should have been
    assert "找不到目录" in err.reason
    assert "习近平主持召开企业家座谈会强调" in err.reason


def test_missing_cover(corpus_text):
    lines = corpus_text.split("\n")
    text = "\n".join(lines[29:])  # from 《晋城政协》编委会 on
    with pytest.raises(ParseError) as caught:
        parse_text(text, "nocover.md")
    assert caught.value.line == 1
    assert "找不到封面" in caught.value.reason
    assert "总第43期" in caught.value.reason  # says what it looked for


def test_toc_without_entries(corpus_text):
    lines = corpus_text.split("\n")
    text = "\n".join([*lines[:59], "", "◎ 高层声音", "", *lines[99:]])
    with pytest.raises(ParseError, match="目录里没有条目"):
        parse_text(text, "emptytoc.md")


def test_an_article_missing_from_the_middle(corpus_text):
    lines = corpus_text.split("\n")
    # Remove the 说明 (p33) but keep its continued part: that part has no home then.
    text = "\n".join(lines[:513] + lines[566:])
    issue = parse_text(text, "gap.md")
    assert [a.start_page for a in issue.articles if not a.found] == [33]
    assert "第33页" in issue.errors[0].reason


# ---------------------------------------------------------------- another issue

OTHER_ISSUE = """\
# 晋城政协

2021年第1期（总第46期）

## 本期导读

◆ 政协委员履职要有新作为
◆ 关于加快城市更新的调研报告

政协晋城市委员会主办

## 《晋城政协》编委会

主任：王一平

副主任：赵 刚 钱文明

主编：孙四海

主办：政协晋城市委员会主办

地址：山西省晋城市凤台西街289号

电　话：（0356）2198273

# 目 录

【特别关注】

3 政协委员履职要有新作为 周　五

【调查研究】

9 关于加快城市更新的调研报告

12 做好“六稳”工作 推动高质量发展

——市政协专题协商会发言摘编

【委员风采】

20 扎根乡村的好医生

## 政协委员履职要有新作为

周　五

委员是政协工作的主体。新的一年，委员履职要有新作为、新气象。

**要加强学习。**学习是履职的基础，要在学中干、干中学，不断提高履职能力和

水平。

要深入调研。调查研究是谋事之基、成事之道，要把功夫下在调研上，切实履职尽(下转21页)

# 关于加快城市更新的调研报告

——以城区为例

编者按：城市更新关系群众切身利益。市政协组织委员开展专题调研，现将调研报告刊登如下。

一、基本情况

近年来，城区老旧小区改造稳步推进，群众居住条件明显改善。

二、存在问题

资金来源单一，居民参与度不高，后续管理机制不健全。

三、对策建议

拓宽资金渠道，引导居民参与，建立长效管理机制。

(执笔：政协城建委)

做好“六稳”工作

推动高质量发展

——市政协专题协商会发言摘编

稳就业要抓住重点

市人社局局长 吴 六

就业是最大的民生。我们坚持把稳就业摆在突出位置。

稳投资要扩大有效投资

市发改委主任 郑七

投资是经济增长的重要引擎。我们将全力推进重点项目建设。

---

(上接8页) 责，为全市发展贡献力量。

# 扎根乡村的好医生

本刊记者 冯 八

在陵川县的大山深处，有一位扎根乡村三十年的好医生，他就是市政协委员冯九。

内部资料
"""


@pytest.fixture(scope="module")
def other_issue():
    return parse_text(OTHER_ISSUE, "2021-1.md")


def test_other_issue_front(other_issue):
    assert (other_issue.year, other_issue.number, other_issue.total_number) == (2021, 1, 46)
    assert [(e.role, e.names) for e in other_issue.editorial_board] == [
        ("主任", ["王一平"]),
        ("副主任", ["赵刚", "钱文明"]),
        ("主编", ["孙四海"]),
    ]
    assert other_issue.contact.host == "政协晋城市委员会"
    assert other_issue.contact.phone == "(0356)2198273"
    assert [(h.text, h.toc_position) for h in other_issue.highlights] == [
        ("政协委员履职要有新作为", 1),
        ("关于加快城市更新的调研报告", 2),
    ]


def test_other_issue_articles(other_issue):
    assert other_issue.errors == []
    assert [
        (a.column, a.start_page, a.end_page, a.title, a.subtitle) for a in other_issue.articles
    ] == [
        ("特别关注", 3, 8, "政协委员履职要有新作为", ""),
        ("调查研究", 9, 11, "关于加快城市更新的调研报告", "以城区为例"),
        ("调查研究", 12, 19, "做好“六稳”工作 推动高质量发展", "市政协专题协商会发言摘编"),
        ("委员风采", 20, 20, "扎根乡村的好医生", ""),
    ]
    assert other_issue.news_items == []


def test_other_issue_people(other_issue):
    authors = [[(x.name, x.title, x.role) for x in a.authors] for a in other_issue.articles]
    assert authors == [
        [("周五", "", "作者")],
        [],
        [("吴六", "市人社局局长", "发言"), ("郑七", "市发改委主任", "发言")],
        [("冯八", "本刊记者", "作者")],
    ]


def test_other_issue_body(other_issue):
    first, report, digest, doctor = other_issue.articles
    assert [b.text for b in first.body] == [
        "委员是政协工作的主体。新的一年，委员履职要有新作为、新气象。",
        "要加强学习。学习是履职的基础，要在学中干、干中学，不断提高履职能力和水平。",
        "要深入调研。调查研究是谋事之基、成事之道，要把功夫下在调研上，"
        "切实履职尽责，为全市发展贡献力量。",
    ]
    assert first.continuation_pages == [21]
    assert report.editors_note.startswith("城市更新关系群众切身利益。")
    assert [b.text for b in report.body if b.kind == HEADING] == [
        "一、基本情况",
        "二、存在问题",
        "三、对策建议",
    ]
    assert [(b.kind, b.text) for b in digest.body[:2]] == [
        (SPEECH_HEADING, "稳就业要抓住重点"),
        (SPEAKER, "市人社局局长 吴 六"),
    ]
    assert doctor.body[0].text.startswith("在陵川县的大山深处")
    assert "内部资料" not in doctor.full_text()


def test_news_dates_across_months():
    from issues.importing.news import parse_date

    assert parse_date("12月30日至1月2日，", 2021) == (
        dt.date(2021, 12, 30),
        dt.date(2022, 1, 2),
        "",
    )
    assert parse_date("2月30日，", 2021) == (None, None, "")
    assert parse_date("7月30日至8月2日下午，", 2021) == (
        dt.date(2021, 7, 30),
        dt.date(2021, 8, 2),
        "下午",
    )


def test_item_without_heading_and_without_continuation_mark(issue_2020_4, corpus_text):
    """Without the (下转45页) before it, the 康养 item still starts at its contributor."""
    text = corpus_text.replace("鼓励通信（下转45页）", "鼓励通信")
    text = text.replace("(上接46页)运营商", "运营商")  # and the continued part stays put
    issue = parse_text(text, "nomark.md")
    health = issue.articles[10]
    assert health.found and issue.errors == []
    assert health.body[0].text.startswith(
        "泽州县政协常委、民盟晋城市委会、泽州县旅游开发服务中心王艳芳反映"
    )
    assert [a.name for a in health.authors] == ["王艳芳"]
    spending = issue.articles[9]
    assert "王艳芳" not in spending.full_text()
    assert any("反映：”确定其开头" in w.reason for w in issue.warnings)
