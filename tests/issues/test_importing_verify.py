"""Issue #11: the three failures archivists met on other conversions, and the checks
that keep a wrong import from succeeding (verify.py)."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from issues.importing import ParseError, parse_text
from issues.models import Issue

pytestmark = pytest.mark.usefixtures("quick_index")

# The 目录 of 2020年第4期 as dot-leader tables of contents print it: the page number at
# the end of an entry's last line.
TRAILING_TOC = """# 目录

### ◎ 高层声音

习近平：激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展……１
习近平：着眼长远把握大势开门问策 集思广益 研究新情况作出新规划……４

### ◎ 学习论坛

新时代人民政协的行动指南 刘佳义……７

### ◎ 本期关注

中共晋城市委七届九次全体会议召开……１４

### ◎ 会议专题

在市委政协工作会议上的讲话 张志川……１８
中共晋城市委关于新时代加强和改进人民政协工作的实施意见……２６
关于制定《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》的说明 姚 逊……３３
高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章……３６

——市委政协工作会议发言摘编

### ◎ 社情民意

将我市建成山西省药茶产业高地的建议……４４
多措并举重启消费回暖的建议……４６
关于大力发展康养旅游的建议……４７

### ◎ 工作动态

工作动态……４９
"""


def with_toc(corpus_text, toc):
    lines = corpus_text.split("\n")
    return "\n".join(lines[:56] + toc.split("\n") + lines[98:])


def shape(issue):
    return [
        (a.toc_position, a.column, a.start_page, a.end_page, a.title, len(a.body))
        for a in issue.articles
    ]


# ---------------------------------------------------------------- failure 1: wrapped 目录


def test_a_wrapped_first_entry_with_its_page_number_at_the_end(corpus_text, issue_2020_4):
    """Was: 目录里没有条目, the file refused although it holds 12 entries."""
    toc = TRAILING_TOC.replace(
        "弘扬企业家精神 推动企业发挥更大作用实现更大发展……１",
        "弘扬企业家精神\n推动企业发挥更大作用实现更大发展……１",
    )
    issue = parse_text(with_toc(corpus_text, toc), "wrapped.md")
    assert (issue.errors, issue.faults) == ([], [])
    assert shape(issue) == shape(issue_2020_4)
    # The wrap falls where the headline has a space: the 目录 wording keeps it.
    assert (
        issue.articles[0].toc_title
        == "习近平：激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展"
    )


def test_a_wrapped_later_entry_keeps_the_entries_after_it(corpus_text, issue_2020_4):
    """Was: the import succeeded with 6 of 12 articles, the sixth holding the rest."""
    toc = TRAILING_TOC.replace(
        "关于制定《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》的说明 姚 逊……３３",
        "关于制定《中共晋城市委关于新时代加强和改进\n人民政协工作的实施意见》的说明 姚 逊……３３",
    )
    issue = parse_text(with_toc(corpus_text, toc), "wrapped.md")
    assert (issue.errors, issue.faults) == ([], [])
    assert shape(issue) == shape(issue_2020_4)
    assert len(issue.news_items) == 35
    assert issue.articles[6].authors[0].name == "姚逊"


def test_a_toc_cut_short_is_refused_not_imported_into_one_article(db, tmp_path, corpus_text):
    """An entry without its page number ends the 目录 early; the entries after it must
    not end up as the first article's text."""
    text = corpus_text.replace("- 33 关于制定《", "- 关于制定《")
    path = tmp_path / "cut-toc.md"
    path.write_text(text, encoding="utf-8")
    message = refused(path)
    assert (
        f"{path}:84: 像目录条目的一行（“- 36 高举伟大旗帜 加强党的领导 不断谱写政协事业发展新”）"
        in message
    )
    assert "目录可能没有读完" in message
    assert (Issue.objects.count(), Article.objects.count()) == (0, 0)


# ---------------------------------------------------------------- failure 2: misprinted page


def test_a_misprinted_toc_page_leaves_the_continued_part_with_its_article(corpus_text):
    """36 printed as 35: the range of 说明 (33–) ends at 34, and 高举伟大旗帜 seems to
    hold page 35, which (上接35页) names. The (下转17页) in 说明 decides."""
    issue = parse_text(corpus_text.replace("- 36 高举伟大旗帜", "- 35 高举伟大旗帜"), "m.md")
    assert (issue.errors, issue.faults) == ([], [])
    explanation, speeches = issue.articles[6], issue.articles[7]
    assert (explanation.start_page, explanation.end_page, speeches.start_page) == (33, 34, 35)
    moved = "全面推进政协系统党的建设,进一步形成加强和改进政协工作的合力。"
    assert any(moved in p for p in explanation.paragraphs)
    assert not any(moved in p for p in speeches.paragraphs)
    assert [(c.toc_position, c.printed_in, c.line, c.from_page, c.mark_line, c.to_page)
            for c in issue.continuations] == [
        (6, 8, 660, 32, 512, 43),
        (7, 4, 308, 35, 566, 17),
        (10, 9, 686, 46, 707, 45),
    ]  # fmt: skip


def test_a_continued_part_no_mark_points_to_is_refused(db, tmp_path, corpus_text):
    path = tmp_path / "unpaired.md"
    path.write_text(corpus_text.replace("以党的政治建设为统领,(下转17页)", "以党的政治建设为统领,"))
    message = refused(path)
    assert f"{path}:308: （上接35页）找不到对应的（下转…页）" in message
    assert Issue.objects.count() == 0


# ---------------------------------------------------------------- failure 3: running heads


@pytest.mark.parametrize(
    "furniture",
    [
        ["晋城政协 2020年第4期", "２"],
        ["12 晋城政协"],
        ["· 12 ·", "高层声音"],
        ["— 12 —", "晋城政协"],
        ["－１２－"],
        ["晋城政协 12"],
    ],
)
def test_running_heads_and_page_numbers_stay_out_of_the_text(corpus_text, issue_2020_4, furniture):
    # A page break cut 争取全年 / 经济发展好成绩。: the furniture sits between the halves.
    cut = "争取全年\n\n经济发展好成绩。"
    assert cut in corpus_text
    head = "\n\n".join(furniture)
    issue = parse_text(corpus_text.replace(cut, f"争取全年\n\n{head}\n\n经济发展好成绩。"), "h.md")
    assert (issue.errors, issue.faults) == ([], [])
    assert [tuple(b) for b in issue.articles[0].body] == [
        tuple(b) for b in issue_2020_4.articles[0].body
    ]
    assert "争取全年经济发展好成绩。" in issue.articles[0].paragraphs[3]
    assert [text for _, text, _ in issue.furniture if text in furniture] == furniture


def test_a_column_name_that_is_also_a_title_is_a_running_head_inside_its_article(
    corpus_text, issue_2020_4
):
    text = corpus_text.replace("\n★7月15日上午，", "\n工作动态\n\n★7月15日上午，", 1)
    issue = parse_text(text, "h.md")
    assert (issue.errors, issue.faults) == ([], [])
    assert [n.text for n in issue.news_items] == [n.text for n in issue_2020_4.news_items]
    assert issue.articles[-1].title == "工作动态"


# ---------------------------------------------------------------- self-verification


def refused(path, *args):
    with pytest.raises(CommandError) as caught:
        call_command("import_issue", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    return str(caught.value)


def test_pages_must_ascend(db, tmp_path, corpus_text):
    path = tmp_path / "pages.md"
    path.write_text(
        corpus_text.replace("- 18 在市委政协工作会议上的讲话", "- 12 在市委政协工作会议上的讲话")
    )
    message = refused(path)
    assert f"{path}:78: 目录第5条的页码12小于上一条的14：目录的页码应当递增" in message
    assert Issue.objects.count() == 0


def test_an_undated_news_item_is_refused_even_when_partial_imports_are_allowed(
    db, tmp_path, corpus_text
):
    path = tmp_path / "undated.md"
    path.write_text(corpus_text.replace("★7月2日下午，市政协召开", "★近日，市政协召开"))
    message = refused(path, "--allow-partial")
    assert f"{path}:776: 工作动态“近日，市政协召开机关全体干部大会，传达学”没有日期" in message
    assert Issue.objects.count() == 0


def test_text_of_a_missing_article_is_not_imported_into_its_neighbour(db, tmp_path, corpus_text):
    """Without its headline, 在市委政协工作会议上的讲话 cannot be found; --allow-partial
    skips it, but its eight pages of text run on from the continued part printed before
    it (上接35页) into 说明 (33–35): a body far longer than its pages is refused
    whatever the option."""
    text = corpus_text.replace("# 在市委政协工作会议上的讲话\n", "\n")
    assert text != corpus_text
    path = tmp_path / "headless.md"
    path.write_text(text)
    message = refused(path, "--allow-partial")
    assert (
        f"{path}:514: 目录第7条《关于制定《中共晋城市委关于新时代加强和改进人民政协工作的"
        "实施意见》的说明》正文9452字，远多于目录页码（第33–35页）估计的"
    ) in message
    assert "可能有文字归错了文章" in message
    assert Issue.objects.count() == 0


def test_verification_finds_nothing_in_the_original(issue_2020_4):
    assert issue_2020_4.faults == []
    assert len(issue_2020_4.articles) == 12


def test_faults_come_before_errors_when_raised(corpus_text):
    text = corpus_text.replace("★7月2日下午，", "★近日，")
    issue = parse_text(text, "u.md")
    with pytest.raises(ParseError) as caught:
        issue.raise_for_errors()
    assert caught.value.line == 776


@pytest.mark.parametrize(
    ("joined", "line", "reason"),
    [
        (  # 说明 lost its page number: its title runs into 实施意见's
            ("- 26 中共晋城市委关于新时代加强和改进人民政协工作的实施意见\n\n- 33 关于制定",
             "- 26 中共晋城市委关于新时代加强和改进人民政协工作的实施意见\n关于制定"),
            415,
            "“中共晋城市委 关于新时代加强和改进人民政协工作的 实施意见”像是标题，"
            "字句出自目录第6条",
        ),
        (  # 实施意见 lost its page number: its title runs into 讲话's
            ("- 18 在市委政协工作会议上的讲话 张志川\n\n- 26 中共",
             "- 18 在市委政协工作会议上的讲话 张志川\n中共"),
            415,
            "目录第5条的标题由相隔6906字的几行拼成（第315行与第415行）：可能是两篇文章的标题",
        ),
    ],
)  # fmt: skip
def test_two_toc_entries_run_together_are_refused(corpus_text, joined, line, reason):
    before, after = joined
    assert before in corpus_text
    issue = parse_text(corpus_text.replace(before, after), "joined.md")
    assert len(issue.articles) == 11
    assert any(f.line == line and reason in f.reason for f in issue.faults), issue.faults
