"""The pre-publication check (发布前检查) of an issue: what must be right before it goes
out, and what an editor should only look at again.

Problems block publishing (``issues.services.issue_publish`` refuses with their list);
warnings are shown but never block — a digitized back issue may have no cover.
The admin's issue page and the dashboard show the same result.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch

from articles.models import Article
from workflow.models import Status

from .models import Issue, MastheadEntry


@dataclass
class IssueCheck:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def check_entries():
    """The TOC entries the check looks at, in TOC order: those publishing makes public,
    each with the number of its 工作动态 items."""
    return (
        Article.objects.to_be_published()
        .annotate(news_count=Count("news_items"))
        .defer("search_text", "search_vector")
        .order_by("toc_position", "pk")
    )


def with_check_data(issues):
    """``issues`` with what :func:`issue_check` needs, in a fixed number of queries
    however many issues there are (the dashboard checks several at once)."""
    return issues.annotate(
        masthead_filled=Exists(MastheadEntry.objects.filter(issue=OuterRef("pk")))
    ).prefetch_related(Prefetch("articles", queryset=check_entries(), to_attr="check_entries"))


def issue_check(issue: Issue) -> IssueCheck:
    entries = getattr(issue, "check_entries", None)
    if entries is None:
        entries = list(check_entries().filter(issue=issue))
    masthead_filled = getattr(issue, "masthead_filled", None)
    if masthead_filled is None:
        masthead_filled = issue.masthead.exists()
    return check_parts(entries, masthead_filled=masthead_filled, has_cover=bool(issue.cover))


def check_parts(entries: list[Article], *, masthead_filled: bool, has_cover: bool) -> IssueCheck:
    """The rules, on objects already loaded (no queries): testable on unsaved articles."""
    result = IssueCheck()
    entries = sorted(entries, key=lambda a: (a.toc_position, a.pk or 0))
    if not entries:
        result.problems.append("目录为空：本期还没有文章。")
    for article in entries:
        label = article.entry_label
        if not article.has_body():
            result.problems.append(f"{label}没有正文")
        if article.column_id is None:
            result.problems.append(f"{label}没有栏目")
    result.problems.extend(page_problems(entries))
    drafts = [str(a.toc_position) for a in entries if a.status == Status.DRAFT]
    if drafts:
        result.warnings.append(f"第{'、'.join(drafts)}条仍是草稿，未经提交审核，将随本期一起发布")
    if not masthead_filled:
        result.problems.append("编委会未填写")
    if not has_cover:
        result.warnings.append("没有封面（数字化的往期可以没有封面）")
    return result


def pages(start: int, end: int) -> str:
    return f"第{start}页" if start == end else f"第{start}–{end}页"


def page_problems(entries: list[Article]) -> list[str]:
    """Pages ascend with the TOC order and no two entries share a page. Continuation
    pages (下转/上接) are not compared: a continuation routinely lands inside another
    article's pages."""
    problems = []
    previous = None  # the entry just before, in TOC order
    furthest = None  # the entry reaching furthest so far
    for article in entries:
        if previous is not None and article.start_page < previous.start_page:
            problems.append(
                f"第{article.toc_position}条《{article.title}》从第{article.start_page}页开始，"
                f"早于前一条（第{previous.toc_position}条，第{previous.start_page}页）："
                "页码应随目录顺序递增"
            )
        elif furthest is not None and article.start_page <= furthest.end_page:
            problems.append(
                f"第{article.toc_position}条与第{furthest.toc_position}条页码重叠"
                f"（{pages(article.start_page, article.end_page)}与"
                f"{pages(furthest.start_page, furthest.end_page)}）"
            )
        if furthest is None or article.end_page > furthest.end_page:
            furthest = article
        previous = article
    return problems
