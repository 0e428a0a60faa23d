"""Each parsing step on a few lines of text."""

import datetime as dt

import pytest

from issues.importing import ParseError
from issues.importing.body import classify, find_reporters, find_source, parse_byline, read_header
from issues.importing.document import HEADING, PARAGRAPH, SPEAKER, SPEECH_HEADING
from issues.importing.frontmatter import (
    furniture_kind,
    is_furniture,
    parse_cover,
    parse_highlights,
    parse_masthead,
    parse_toc,
)
from issues.importing.locate import _cheapest_pairing
from issues.importing.news import parse_date, split_news
from issues.importing.pipeline import split_at_furniture
from issues.importing.source import clean_line, decode, split_blocks, split_lines
from issues.importing.text import (
    join_wrapped,
    looks_like_name,
    split_names,
    split_title_name,
    unbreak,
)


def blocks(text: str):
    return split_blocks(split_lines(text))


# ---------------------------------------------------------------- read


def test_decode_normalizes_line_ends_and_bom():
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\n", "f") == "a\nb\nc\n"


def test_decode_reports_the_line_of_the_bad_byte():
    data = "第一行\n第二行\n".encode() + "第三行".encode("gbk")
    with pytest.raises(ParseError) as caught:
        decode(data, "old.txt")
    assert (caught.value.file, caught.value.line) == ("old.txt", 3)


# ---------------------------------------------------------------- lines and blocks


@pytest.mark.parametrize(
    ("raw", "text", "marked"),
    [
        ("## **二要进一步加大民主监督力度。**", "二要进一步加大民主监督力度。", True),
        ("**习近平强调**，要以…", "习近平强调，要以…", False),
        ("晋城政协网：<http://zx.jconline.cn>", "晋城政协网：http://zx.jconline.cn", False),
        ("电 话：(0356)2198273", "电 话：(0356)2198273", False),
        ("#", "", True),
        ("**", "", False),
        ("市委副书记　姚　逊  ", "市委副书记 姚 逊", False),
    ],
)
def test_clean_line(raw, text, marked):
    assert clean_line(raw) == (text, marked)


def test_blocks_join_hard_wrapped_lines_without_spaces():
    (block,) = blocks("泽州县政协常委、民盟晋城市委  \n会、泽州县旅游开发服务中心王艳芳  \n反映：")
    assert block.text == "泽州县政协常委、民盟晋城市委会、泽州县旅游开发服务中心王艳芳反映："
    assert block.nos == (1, 2, 3)


def test_continuation_marks():
    a, b, c = blocks(
        "以党的政治建设为统领,(下转17页)\n\n(上接35页) 全面推进政协系统党的建设。\n\n（下转第45页）"
    )
    assert (a.text, a.continued_to, a.continued_from) == ("以党的政治建设为统领,", [17], None)
    assert (b.text, b.continued_from) == ("全面推进政协系统党的建设。", 35)
    assert (c.text, c.continued_to) == ("", [45])


@pytest.mark.parametrize(
    ("text", "furniture"),
    [
        ("---", True),
        ("DUO CUO BING JU CHONG QI XIAO FEI HUI NUAN DE JIAN YI", True),
        ("内部资料", True),
        ("内部资料 注意保存", True),
        ("23", True),
        ("晋城政协", True),
        ("——市委政协工作会议发言摘编", False),
        ("5G", False),
        ("晋城政协 2020年第4期", True),
        ("12 晋城政协", True),
        ("晋城政协 · 12", True),
        ("· 12 ·", True),
        ("— 12 —", True),
        ("－１２－", True),
        ("2020年第4期", False),
        ("晋城政协委员", False),
        ("会议专题", False),  # a column name only where the 目录 has that column
    ],
)
def test_furniture(text, furniture):
    assert is_furniture(blocks(text)[0]) is furniture


def test_a_column_name_is_a_running_head():
    block = blocks("会议专题")[0]
    assert furniture_kind(block, columns=frozenset({"会议专题"})) == "页眉（栏目名）"


def test_furniture_glued_to_the_text_ends_the_block_there():
    furniture = []
    (block,) = blocks("努力把疫情造成的损失补回来，争取全年\n· 3 ·\n晋城政协\n经济发展好成绩。")
    parts = split_at_furniture(block, frozenset(), furniture)
    assert [p.text for p in parts] == ["努力把疫情造成的损失补回来，争取全年", "经济发展好成绩。"]
    assert furniture == [(2, "· 3 ·", "页码"), (3, "晋城政协", "页眉")]


# ---------------------------------------------------------------- front matter


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("〔4  \n总第43期  \n2020〕", (2020, 4, 43)),
        ("2021年第1期（总第46期）", (2021, 1, 46)),
        ("总第50期 2021年 第5期", (2021, 5, 50)),
        ("2022 〔6〕 总第57期", (2022, 6, 57)),
    ],
)
def test_cover(text, expected):
    cover, problems = parse_cover(blocks(text), "f")
    assert (cover.year, cover.number, cover.total_number) == expected
    assert problems == []


def test_cover_copies_that_disagree_are_reported():
    cover, problems = parse_cover(blocks("〔4 总第43期 2020〕\n\n〔5 总第44期 2020〕"), "f")
    assert cover.number == 4
    assert problems[0].line == 3 and "不一致" in problems[0].reason


def test_highlights_keep_wrapped_lines_together():
    items = parse_highlights(
        blocks("## 本期导读\n\n- ◆ 甲乙丙  \n丁戊\n- ◆ 己庚\n\n政协晋城市委员会主办")
    )
    assert [(i.lines, i.line) for i in items] == [(["甲乙丙", "丁戊"], 3), (["己庚"], 5)]


def test_masthead_names_continue_on_following_lines():
    board, contact = parse_masthead(
        blocks(
            "## 编委会\n\n主任：常国荣\n\n编委：崔守安 武四海\n\n阴建正\n\n主编：和贵喜\n\n"
            "主办：政协晋城市委员会主办\n\n地址：山西省晋城市  \n凤台西街289号\n\n"
            "邮　编：048000\n\nE-mail：a@b.cn"
        )
    )
    assert [(e.role, e.names) for e in board] == [
        ("主任", ["常国荣"]),
        ("编委", ["崔守安", "武四海", "阴建正"]),
        ("主编", ["和贵喜"]),
    ]
    assert (contact.host, contact.address, contact.postcode, contact.email) == (
        "政协晋城市委员会",
        "山西省晋城市凤台西街289号",
        "048000",
        "a@b.cn",
    )


def test_toc_entries_columns_wrapped_titles_and_authors():
    bs = blocks(
        "# 目录\n\n## CONTENTS\n\n### ◎ 栏目甲\n\n- 1 习近平：第一篇标题  \n第二行\n"
        "4 第二篇 姚 逊\n\n栏目乙\n\n- 9 第三篇\n\n——副题\n\n正文标题开始"
    )
    entries, end = parse_toc(bs, 0, "f")
    assert [(e.column, e.page, e.end_page, e.lines, e.speaker, e.author_hint) for e in entries] == [
        ("栏目甲", 1, 3, ["第一篇标题", "第二行"], "习近平", ""),
        ("栏目甲", 4, 8, ["第二篇"], "", "姚逊"),
        ("栏目乙", 9, 9, ["第三篇"], "", ""),
    ]
    assert entries[2].subtitle == "副题"
    assert bs[end].text == "正文标题开始"


def test_toc_with_page_numbers_at_the_end_of_wrapped_titles():
    bs = blocks(
        "# 目录\n\n### ◎ 栏目甲\n\n习近平：第一篇\n标题第二行……１\n第二篇 姚 逊 ·····4\n\n"
        "· 2 ·\n\n栏目乙\n\n第三篇的标题\n印成了\n三行 9\n\n——副题\n\n正文的引题\n\n正文标题"
    )
    entries, end = parse_toc(bs, 0, "f")
    assert [(e.column, e.page, e.end_page, e.lines, e.speaker, e.author_hint) for e in entries] == [
        ("栏目甲", 1, 3, ["第一篇", "标题第二行"], "习近平", ""),
        ("栏目甲", 4, 8, ["第二篇"], "", "姚逊"),
        ("栏目乙", 9, 9, ["第三篇的标题", "印成了", "三行"], "", ""),
    ]
    assert [e.line for e in entries] == [5, 7, 13]  # where each entry's first line is
    assert entries[2].subtitle == "副题"
    assert bs[end].text == "正文的引题"


def test_continuations_pair_with_the_fewest_pages_off():
    # Two marks, two parts: pairing them crosswise costs 0, straight 3 + 4.
    assert _cheapest_pairing([[3, 0], [0, 4]]) == [(0, 1), (1, 0)]
    # A part no mark comes near (more than 4 pages off) stays unpaired.
    assert _cheapest_pairing([[5], [6]]) == []
    assert _cheapest_pairing([[1, 2, 9]]) == [(0, 0)]


def test_toc_with_page_numbers_after_dot_leaders():
    entries, _ = parse_toc(blocks("目录\n\n委员风采\n\n扎根乡村的好医生……20"), 0, "f")
    assert [(e.column, e.page, e.lines) for e in entries] == [
        ("委员风采", 20, ["扎根乡村的好医生"])
    ]


# ---------------------------------------------------------------- names and titles


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("姚 逊", True),
        ("刘佳义", True),
        ("欧阳修文", True),
        ("集思广益", False),
        ("工作动态", False),
    ],
)
def test_looks_like_name(text, ok):
    assert looks_like_name(text) is ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("泽州县政协主席李正根", ("泽州县政协主席", "李正根")),
        ("民进晋城市委参政议政部副部长刘娟", ("民进晋城市委参政议政部副部长", "刘娟")),
        ("城区融媒体中心专题部主任韩晋涛", ("城区融媒体中心专题部主任", "韩晋涛")),
        ("办公室主任王刚", ("办公室主任", "王刚")),  # not 任王刚
        ("民盟晋城市委会、旅游开发服务中心王艳芳", ("民盟晋城市委会、旅游开发服务中心", "王艳芳")),
    ],
)  # fmt: skip
def test_split_title_name(text, expected):
    assert split_title_name(text) == expected


def test_split_names_joins_spaced_two_character_names():
    assert split_names("许国胜 何 莉") == ["许国胜", "何莉"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刘佳义", [("刘佳义", "")]),
        ("市委副书记 姚 逊", [("姚逊", "市委副书记")]),
        ("市教育局党组书记、局长 李志忠", [("李志忠", "市教育局党组书记、局长")]),
        ("文/张三", [("张三", "")]),
        ("张三 李四", [("张三", ""), ("李四", "")]),
        ("同志们：", None),
        ("工作动态", None),
        ("加强党的领导 发挥政协专门协商机构作用", None),
    ],
)
def test_byline(text, expected):
    authors = parse_byline(text)
    assert (authors and [(a.name, a.title) for a in authors]) == expected


def test_header_lines():
    head = read_header(
        blocks("——副题\n\n市委副书记 姚 逊\n\n（2020年7月14日）\n\n根据市委安排，我作说明。")
    )
    assert head.subtitles == ["副题"]
    assert [(a.name, a.title) for a in head.authors] == [("姚逊", "市委副书记")]
    assert head.event_date == dt.date(2020, 7, 14)
    assert head.used == 3


# ---------------------------------------------------------------- titles


def test_join_wrapped_follows_the_reference():
    refs = ["激发市场主体活力弘扬企业家精神 推动企业发挥更大作用"]
    assert join_wrapped(["激发市场主体活力弘扬企业家精神", "推动企业发挥更大作用"], refs) == refs[0]
    assert join_wrapped(["改进人民政协", "工作的实施意见"], ["改进人民政协工作的实施意见"]) == (
        "改进人民政协工作的实施意见"
    )


def test_unbreak_removes_line_break_spaces_only():
    toc = "中共晋城市委关于新时代加强和改进人民政协工作的实施意见"
    assert unbreak("中共晋城市委 关于新时代加强和改进人民政协工作的 实施意见", [toc]) == toc
    assert unbreak("高举伟大旗帜 加强党的领导", ["高举伟大旗帜 加强党的领导"]) == (
        "高举伟大旗帜 加强党的领导"
    )


# ---------------------------------------------------------------- body


def test_page_cut_paragraphs_join_and_numbered_lines_follow_the_section_style():
    body, speakers = classify(
        blocks(
            "一、甲方面。具体内容一。\n\n二、乙方面,努力推动\n\n事业发展。具体内容二。\n\n"
            "三、丙方面。具体内容三。"
        )
    )
    assert [(b.kind, b.text) for b in body] == [
        (PARAGRAPH, "一、甲方面。具体内容一。"),
        (PARAGRAPH, "二、乙方面,努力推动事业发展。具体内容二。"),
        (PARAGRAPH, "三、丙方面。具体内容三。"),
    ]
    assert speakers == []


def test_standalone_numbered_lines_are_headings():
    body, _ = classify(blocks("一、总体要求\n\n(一)行动指南。内容。\n\n二、主要任务\n\n内容。"))
    assert [b.kind for b in body] == [HEADING, PARAGRAPH, HEADING, PARAGRAPH]


def test_marked_line_cut_mid_word_is_joined():
    body, _ = classify(blocks("### (二十六)加强政协系统党的建\n\n设。认真贯彻。"))
    assert [(b.kind, b.text) for b in body] == [
        (PARAGRAPH, "(二十六)加强政协系统党的建设。认真贯彻。")
    ]


def test_speech_heading_and_speaker():
    body, speakers = classify(
        blocks("稳就业要抓住重点\n\n市人社局局长 吴 六\n\n就业是最大的民生。")
    )
    assert [b.kind for b in body] == [SPEECH_HEADING, SPEAKER, PARAGRAPH]
    assert [(a.name, a.title, a.role) for a in speakers] == [("吴六", "市人社局局长", "发言")]


def test_source_and_reporters():
    body, _ = classify(blocks("新华社北京7月21日电 习近平在京主持召开座谈会。"))
    assert find_source(body, 2020) == ("新华社", dt.date(2020, 7, 21))
    body, _ = classify(blocks("市政协委员、某某公司经理张三，市政协委员李四反映：当前……。"))
    assert [(a.name, a.title, a.role) for a in find_reporters(body)] == [
        ("张三", "市政协委员、某某公司经理", "反映"),
        ("李四", "市政协委员", "反映"),
    ]


# ---------------------------------------------------------------- news


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7月1日上午，市政协…", (dt.date(2020, 7, 1), None, "上午")),
        ("7月29日至31日，十二届…", (dt.date(2020, 7, 29), dt.date(2020, 7, 31), "")),
        ("8月17日到21日，市政协…", (dt.date(2020, 8, 17), dt.date(2020, 8, 21), "")),
        ("8月5日至6日，省政协…", (dt.date(2020, 8, 5), dt.date(2020, 8, 6), "")),
        ("８月２８日下午，市政协…", (dt.date(2020, 8, 28), None, "下午")),
        ("近日，市政协…", (None, None, "")),
    ],
)
def test_news_dates(text, expected):
    assert parse_date(text, 2020) == expected


def test_news_items_cut_by_a_page_break():
    items, lead = split_news(
        blocks("★8月11日上午，晋城市创建全\n\n国文明城市会议召开。\n\n★8月11日，崔守安调研。"), 2020
    )
    assert [(i.text, i.lines) for i in items] == [
        ("8月11日上午，晋城市创建全国文明城市会议召开。", (1, 3)),
        ("8月11日，崔守安调研。", (5,)),
    ]
    assert lead == []
