"""The pre-publication check (发布前检查): concrete problems, warnings that never block."""

import pytest

from articles.models import Article
from issues.checks import check_parts, issue_check
from tests.factories import (
    ArticleFactory,
    ColumnFactory,
    IssueFactory,
    MastheadEntryFactory,
    NewsItemFactory,
)
from workflow.models import Status

pytestmark = pytest.mark.django_db

# 2020年第4期 as printed: start pages from the 目录, continuations (下转/上接) as found
# in the text — 第7条 continues on page 17, inside 第4条's pages; 第8条 on page 45.
DEMO_TOC = [
    (1, "激发市场主体活力弘扬企业家精神", 1, 3, []),
    (2, "着眼长远把握大势开门问策", 4, 6, []),
    (3, "新时代人民政协的行动指南", 7, 13, []),
    (4, "中共晋城市委七届九次全体会议召开", 14, 17, []),
    (5, "在市委政协工作会议上的讲话", 18, 25, []),
    (6, "中共晋城市委关于新时代加强和改进人民政协工作的实施意见", 26, 32, [43]),
    (7, "关于制定《实施意见》的说明", 33, 35, [17]),
    (8, "高举伟大旗帜 加强党的领导", 36, 43, []),
    (9, "将我市建成山西省药茶产业高地的建议", 44, 45, []),
    (10, "多措并举重启消费回暖的建议", 46, 46, [45]),
    (11, "关于大力发展康养旅游的建议", 47, 48, []),
]


def build_issue(toc=DEMO_TOC, *, masthead=True, cover=False):
    issue = IssueFactory(status=Status.REVIEW, published_at=None)
    if cover:
        issue.cover = "covers/2020/cover.jpg"
        issue.save()
    column = ColumnFactory()
    for position, title, start, end, continuation in toc:
        ArticleFactory(
            issue=issue,
            column=column,
            toc_position=position,
            title=title,
            start_page=start,
            end_page=end,
            continuation_pages=continuation,
            status=Status.REVIEW,
        )
    if masthead:
        MastheadEntryFactory(issue=issue, role="主编")
    return issue


def test_the_demo_issue_as_printed_passes_with_only_the_missing_cover_noted():
    issue = build_issue()
    check = issue_check(issue)
    assert check.problems == []
    assert check.passed
    assert check.warnings == ["没有封面（数字化的往期可以没有封面）"]


def test_with_a_cover_there_is_nothing_to_say():
    check = issue_check(build_issue(cover=True))
    assert (check.problems, check.warnings) == ([], [])


def test_an_entry_without_body_is_named_with_its_position_and_title():
    issue = build_issue()
    Article.objects.filter(issue=issue, toc_position=3).update(body="<p> &nbsp;</p>")
    assert issue_check(issue).problems == ["第3条《新时代人民政协的行动指南》没有正文"]


def test_a_work_news_entry_has_its_body_in_its_items():
    issue = build_issue()
    news = ArticleFactory(
        issue=issue, toc_position=12, title="工作动态", body="", start_page=49, end_page=52
    )
    assert issue_check(issue).problems == ["第12条《工作动态》没有正文"]
    NewsItemFactory(issue=issue, article=news)
    assert issue_check(issue).problems == []


def test_an_image_alone_is_a_body():
    issue = build_issue()
    Article.objects.filter(issue=issue, toc_position=1).update(
        body='<figure><img src="/media/p1.jpg" alt="会议现场"></figure>'
    )
    assert issue_check(issue).problems == []


def test_overlapping_pages_are_named():
    toc = [*DEMO_TOC[:4], (5, "在市委政协工作会议上的讲话", 17, 25, [])]
    assert issue_check(build_issue(toc)).problems == [
        "第5条与第4条页码重叠（第17–25页与第14–17页）"
    ]


def test_entries_inside_an_earlier_long_one_overlap_it():
    toc = [(1, "长文", 1, 30, []), (2, "短文", 2, 3, []), (3, "又一篇", 4, 5, [])]
    assert issue_check(build_issue(toc)).problems == [
        "第2条与第1条页码重叠（第2–3页与第1–30页）",
        "第3条与第1条页码重叠（第4–5页与第1–30页）",
    ]


def test_pages_must_ascend_with_the_toc():
    toc = [(1, "甲", 10, 12, []), (2, "乙", 4, 6, [])]
    assert issue_check(build_issue(toc)).problems == [
        "第2条《乙》从第4页开始，早于前一条（第1条，第10页）：页码应随目录顺序递增"
    ]


def test_continuation_pages_are_not_overlap():
    toc = [(1, "甲", 1, 5, [9]), (2, "乙", 6, 9, [3])]
    assert issue_check(build_issue(toc)).problems == []


def test_an_empty_masthead_blocks():
    assert issue_check(build_issue(masthead=False)).problems == ["编委会未填写"]


def test_an_empty_toc_blocks():
    issue = IssueFactory(status=Status.REVIEW)
    MastheadEntryFactory(issue=issue)
    assert issue_check(issue).problems == ["目录为空：本期还没有文章。"]


def test_an_entry_without_column_is_named():
    # The database requires a column today; the rule stays for entries built in memory
    # (an importer's preview) and if the field ever becomes optional.
    entry = Article(toc_position=2, title="无栏目", body="<p>正文</p>", start_page=3, end_page=4)
    check = check_parts([entry], masthead_filled=True, has_cover=True)
    assert check.problems == ["第2条《无栏目》没有栏目"]


def test_withdrawn_entries_are_left_out_and_drafts_are_flagged():
    issue = build_issue()
    Article.objects.filter(issue=issue, toc_position=11).update(status=Status.WITHDRAWN, body="")
    Article.objects.filter(issue=issue, toc_position__in=[2, 10]).update(status=Status.DRAFT)
    check = issue_check(issue)
    assert check.problems == []
    assert "第2、10条仍是草稿，未经提交审核，将随本期一起发布" in check.warnings


def test_several_problems_are_all_listed_in_toc_order():
    toc = [(1, "甲", 1, 4, []), (2, "乙", 4, 6, []), (3, "丙", 7, 8, [])]
    issue = build_issue(toc, masthead=False)
    Article.objects.filter(issue=issue, toc_position=3).update(body="")
    assert issue_check(issue).problems == [
        "第3条《丙》没有正文",
        "第2条与第1条页码重叠（第4–6页与第1–4页）",
        "编委会未填写",
    ]
