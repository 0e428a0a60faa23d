"""The import workflow the ``import_issue`` command, the tests and any other caller use:
read a source, decide (create / unchanged / refuse), and save in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import transaction

from backup.statistics import analyze
from issues.models import Issue
from issues.services import issue_import_permitted, issue_record_import, issue_record_replace
from security.audit import logged_import
from workflow.models import Status
from workflow.transitions import NotPermitted

from . import interchange
from .build import SaveRefused, issue_replace, issue_save
from .document import ParseError, Problem
from .pipeline import parse_issue

CREATED = "created"
REPLACED = "replaced"
UNCHANGED = "unchanged"
REFUSED = "refused"
WOULD_CREATE = "would create"
WOULD_REPLACE = "would replace"

OUTCOME_LABELS = {
    CREATED: "已创建",
    REPLACED: "已替换",
    UNCHANGED: "未改变",
    REFUSED: "拒绝",
    WOULD_CREATE: "将创建（试运行）",
    WOULD_REPLACE: "将替换（试运行）",
}

SOURCE_SUFFIXES = (".md", ".txt", ".json")


@dataclass
class ImportResult:
    source: str
    outcome: str
    issue: str = ""  # 2020年第4期（总第43期）
    problems: list[Problem] = field(default_factory=list)  # why it was refused
    warnings: list[Problem] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    document: dict[str, Any] | None = None
    replaced: str = ""  # what a replacement kept, added, deleted; the state it ends in

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def reason(self) -> str:
        if self.problems:
            first = self.problems[0]
            more = f"（另有 {len(self.problems) - 1} 个问题）" if len(self.problems) > 1 else ""
            where = f"第{first.line}行：" if first.line else ""
            return f"{where}{first.reason}{more}"
        return ""


def analyze_archive() -> None:
    """Bring the planner statistics of the tables an import fills (every model of the
    issues, articles and members apps) up to date: once after a batch of imports or a
    generated corpus, not per issue (``backup.statistics``)."""
    analyze(
        model
        for label in ("issues", "articles", "members")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    )


def issue_label(document: dict[str, Any]) -> str:
    d = document["issue"]
    return f"{d['year']}年第{d['number']}期（总第{d['total_number']}期）"


def load_document(
    path: Path, *, allow_partial: bool = False, visibility: str = "auto"
) -> tuple[dict[str, Any], list[Problem]]:
    """A checked interchange document from a digitized text or a JSON file.

    Raises ParseError when the file cannot be imported: unreadable, no cover or TOC,
    or (unless ``allow_partial``) TOC entries whose text is missing."""
    if path.suffix.lower() == ".json":
        document, warnings = interchange.load(path), []
    else:
        parsed = parse_issue(path)
        file = str(path)
        if parsed.faults:  # text may sit in the wrong article: never imported
            raise ParseError(parsed.faults)
        problems = list(parsed.errors)
        warnings = list(parsed.warnings)
        if problems and not allow_partial:
            raise ParseError(problems)
        warnings += [Problem(p.file, p.line, f"{p.reason}（已跳过）") for p in problems]
        document = interchange.document_from_parsed(parsed)
        checked = interchange.validate(document, file)
        if checked:
            raise ParseError(checked)
    if visibility != "auto":
        document["issue"]["visibility"] = visibility
    return document, warnings


@logged_import  # one jczx.import audit record per run
def issue_import(
    *,
    path: str | Path,
    dry_run: bool = False,
    replace: bool = False,
    allow_partial: bool = False,
    status: str | None = None,
    visibility: str = "auto",
    by=None,
) -> ImportResult:
    """Import one file. Never raises for a bad file: the result says why it was refused.
    ``by`` is the user importing (None: the system operator); what they may not do is
    refused, and the import is the first line of the issue's workflow record.

    ``status``: the state the issue ends in. A new issue: 已发布 unless given. With
    ``replace``, an issue that exists is rewritten in place (``build.issue_replace``)
    and its record gets a line; ``status=None`` keeps its state, except that a published
    issue is refused unless ``status`` is given: a replacement changes what readers see,
    so whoever makes it says whether the new text stays public (published, and the
    ``issue_import_permitted`` rules: 主编 or the system operator) or goes back to 草稿."""
    path = Path(path)
    source = str(path)
    try:
        document, warnings = load_document(path, allow_partial=allow_partial, visibility=visibility)
    except ParseError as err:
        return ImportResult(source, REFUSED, problems=err.problems)

    result = ImportResult(source, "", issue_label(document), warnings=warnings, document=document)
    d = document["issue"]
    existing = Issue.objects.filter(year=d["year"], number=d["number"]).first()
    if existing is not None:
        old = interchange.issue_export(issue=existing)
        result.differences = interchange.differences(old, document)
        # Visibility is an editor's setting: it only counts when asked for explicitly.
        if visibility != "auto" and existing.visibility != visibility:
            result.differences.append(f"公开范围：{existing.visibility} → {visibility}")
        if not result.differences:
            result.outcome = UNCHANGED
            return result
        if not replace:
            return refuse(
                result,
                f"{existing}已经存在，内容不同（{'；'.join(result.differences[:3])}）；"
                "要覆盖请加 --replace",
            )
    clash = Issue.objects.filter(total_number=d["total_number"]).exclude(
        year=d["year"], number=d["number"]
    )
    if clash.exists():
        return refuse(result, f"总第{d['total_number']}期已用于{clash.first()}")

    try:
        issue_import_permitted(
            by=by,
            status=status or (None if existing else Status.PUBLISHED),
            replacing=existing,
        )
    except NotPermitted as refused:
        return refuse(result, str(refused))
    if existing is not None and existing.status == Status.PUBLISHED and status is None:
        return refuse(
            result,
            f"{existing}已发布，替换会改变读者看到的内容：请指定替换后的状态，"
            "--status published（替换后仍发布，新内容立即公开）"
            "或 --status draft（撤下，改为草稿待审）",
        )

    if dry_run:
        result.outcome = WOULD_REPLACE if existing else WOULD_CREATE
        return result
    explicit_visibility = None if visibility == "auto" else visibility
    try:
        with transaction.atomic():  # the content and its record line, or neither
            if existing is None:
                issue = issue_save(
                    document=document,
                    status=status,
                    visibility=explicit_visibility,
                    by=by,
                    source=path.name,
                )
                issue_record_import(issue=issue, by=by, source=path.name)
            else:
                done = issue_replace(
                    issue=existing,
                    document=document,
                    status=status,
                    visibility=explicit_visibility,
                    by=by,
                    source=path.name,
                )
                issue_record_replace(
                    issue=done.issue,
                    by=by,
                    from_status=done.from_status,
                    articles=done.rewritten,
                    source=path.name,
                    summary=done.summary(),
                )
                result.replaced = replaced_line(done)
    except SaveRefused as err:  # another import got there between the checks and the save
        return refuse(result, str(err))
    result.outcome = REPLACED if existing else CREATED
    return result


def refuse(result: ImportResult, reason: str) -> ImportResult:
    result.outcome = REFUSED
    result.problems = [Problem(result.source, 0, reason)]
    return result


def replaced_line(done) -> str:
    """What the command prints after 已替换: the articles kept (ids unchanged), added and
    deleted, the state before and after, and what was kept."""
    before, after = Status(done.from_status).label, Status(done.issue.status).label
    state = f"状态：{before}" if before == after else f"状态：{before} → {after}"
    live = "，读者看到的是新内容" if done.issue.is_live else ""
    return f"{done.summary()}；{state}{live}；封面、PDF、公开范围和流程记录保留"


def collect_sources(paths: list[str | Path]) -> list[Path]:
    """Files to import: the files named, and the importable files in folders named."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(
                p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
            )
        else:
            out.append(path)
    return out


def describe(document: dict[str, Any]) -> list[str]:
    """What an import would create, one line per article (for --dry-run)."""
    d = document["issue"]
    lines = [
        f"期刊 {issue_label(document)}：编委会 {len(d.get('editorial_board', []))} 人，"
        f"本期导读 {len(d.get('highlights', []))} 条"
    ]
    for a in document["articles"]:
        end = a.get("end_page") or a["page"]
        pages = f"第{a['page']}页" if end == a["page"] else f"第{a['page']}–{end}页"
        authors = "、".join(
            " ".join(filter(None, (x.get("title", ""), x["name"]))) for x in a.get("authors", [])
        )
        paragraphs = a.get("body", "").count("<p>")
        lines.append(
            f"  {a['toc_position']:>2}. {a['column']} {pages}《{a['title']}》"
            f" 作者：{authors or '—'}；段落 {paragraphs}"
        )
    if document["news_items"]:
        lines.append(f"  工作动态 {len(document['news_items'])} 条")
    return lines
