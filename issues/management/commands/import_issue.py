from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues.importing.report import import_report
from issues.importing.service import (
    CREATED,
    REFUSED,
    REPLACED,
    UNCHANGED,
    WOULD_CREATE,
    WOULD_REPLACE,
    analyze_archive,
    collect_sources,
    describe,
    issue_import,
)
from issues.services import issue_import_permitted
from workflow.models import Status
from workflow.transitions import NotPermitted

from ._workflow import find_user


class Command(BaseCommand):
    help = (
        "导入期刊：数字化文本（.md/.txt）、JSON 交换文件（.json），或包含它们的文件夹。"
        "同一期内容相同则不变；内容不同则拒绝，除非加 --replace。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="文件或文件夹（文件夹内的文件逐个导入）"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="只显示将要创建的内容，不写入数据库"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="同年同期已存在且内容不同时，用文件替换其内容：期刊和按目录序号对应的文章"
            "原地更新（编号不变），封面、PDF、公开范围和流程记录保留，流程记录加一行",
        )
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="目录中有文章在正文里找不到时，跳过这些文章而不是拒绝整个文件"
            "（文字可能归错文章的问题不能跳过）",
        )
        parser.add_argument(
            "--report",
            metavar="HTML",
            help="把导入检查报告写成一个 HTML 文件（目录、各篇开头结尾、跨页接合、接续部分、"
            "删除的页面装饰、错误与注意），供人工核对；只用于单个数字化文本（.md/.txt）",
        )
        parser.add_argument(
            "--status",
            choices=[Status.DRAFT, Status.PUBLISHED],
            default=None,
            help="导入后的状态。新的一期默认 published 已发布；--replace 替换已有的一期时"
            "默认保持其原状态，但替换已发布的一期必须指定（published 仍发布，draft 撤下待审）",
        )
        parser.add_argument(
            "--visibility",
            choices=["auto", "public", "internal"],
            default="auto",
            help="公开范围：auto 按刊物标注（印有“内部资料”则为 internal），或指定 public/internal",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="以此用户的身份导入并检查其权限（档案员可导入为草稿；导入为已发布需主编）。"
            "不指定则以系统操作员身份运行：不检查权限，记录为“系统（命令行）”。",
        )

    def handle(self, *args, **options):
        by = find_user(options["user"])
        try:
            issue_import_permitted(by=by, status=options["status"])
        except NotPermitted as refused:
            raise CommandError(str(refused)) from None
        files = collect_sources(options["paths"])
        missing = [str(f) for f in files if not f.exists()]
        if missing:
            raise CommandError(f"找不到文件：{'、'.join(missing)}")
        if not files:
            raise CommandError("文件夹里没有可导入的文件（.md、.txt、.json）")
        report = options["report"]
        if report and (len(files) != 1 or files[0].suffix.lower() == ".json"):
            raise CommandError("--report 只用于单个数字化文本文件（.md/.txt）")
        results = []
        for k, path in enumerate(files, start=1):
            result = issue_import(
                path=path,
                dry_run=options["dry_run"],
                replace=options["replace"],
                allow_partial=options["allow_partial"],
                status=options["status"],
                visibility=options["visibility"],
                by=by,
            )
            results.append(result)
            self._progress(k, len(files), result)
            if report:
                html = import_report(
                    path=path,
                    outcome=result.label,
                    problems=result.problems,
                    warnings=result.warnings,
                )
                Path(report).write_text(html, encoding="utf-8")
                self.stdout.write(f"检查报告已写入 {report}")
        if any(r.outcome in (CREATED, REPLACED) for r in results):
            analyze_archive()  # once for the whole batch, not per file
        if len(files) > 1:
            self._summary(results)
        refused = [r for r in results if r.outcome == REFUSED]
        if refused:
            lines = [f"{p}" for r in refused for p in r.problems]
            raise CommandError(f"{len(refused)} 个文件被拒绝，未写入：\n" + "\n".join(lines))

    def _progress(self, k, total, result):
        counter = f"[{k}/{total}] " if total > 1 else ""
        head = f"{counter}{result.source}：{result.label}"
        if result.issue:
            head += f" {result.issue}"
        if result.outcome == REFUSED:
            self.stderr.write(f"{head} —— {result.reason}")
            for problem in result.problems[1:]:
                self.stderr.write(f"    {problem}")
            return
        doc = result.document
        if result.outcome != UNCHANGED:
            head += f"：文章 {len(doc['articles'])} 篇，工作动态 {len(doc['news_items'])} 条"
        if result.outcome == UNCHANGED:
            self.stdout.write(head)
            return
        self.stdout.write(self.style.SUCCESS(head))
        for warning in result.warnings:
            self.stdout.write(f"    注意：第{warning.line}行：{warning.reason}")
        if result.outcome in (REPLACED, WOULD_REPLACE):
            for difference in result.differences:
                self.stdout.write(f"    不同：{difference}")
        if result.replaced:
            self.stdout.write(f"    {result.replaced}")
        if result.outcome in (WOULD_CREATE, WOULD_REPLACE):
            for line in describe(doc):
                self.stdout.write(f"    {line}")

    def _summary(self, results):
        self.stdout.write("")
        self.stdout.write("结果汇总：")
        width = max(len(r.source) for r in results)
        for r in results:
            why = r.reason if r.outcome == REFUSED else ""
            self.stdout.write(f"  {r.source:<{width}}  {r.label:<8} {r.issue:<18} {why}".rstrip())
        counts = {}
        for r in results:
            counts[r.label] = counts.get(r.label, 0) + 1
        self.stdout.write("  合计：" + "，".join(f"{label} {n}" for label, n in counts.items()))
