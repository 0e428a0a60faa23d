from django.core.management.base import BaseCommand, CommandError

from edition.services import edition_render
from issues.models import EditionState, Issue


class Command(BaseCommand):
    help = (
        "生成电子版：把期刊PDF的每一页渲染为图片（不经后台任务，立即执行）。"
        "不带参数则处理所有有PDF的期刊。"
    )

    def add_arguments(self, parser):
        parser.add_argument("year", nargs="?", type=int, help="年份，如 2020")
        parser.add_argument("number", nargs="?", type=int, help="期号，如 4")

    def handle(self, *args, year=None, number=None, **options):
        if (year is None) != (number is None):
            raise CommandError("请同时给出年份和期号，如：render_pages 2020 4")
        issues = Issue.objects.exclude(pdf="").order_by("year", "number")
        if year is not None:
            issues = Issue.objects.filter(year=year, number=number)
            if not issues.exists():
                raise CommandError(f"没有{year}年第{number}期。")
            if not issues.exclude(pdf="").exists():
                raise CommandError(f"{year}年第{number}期没有PDF。")
        failed = 0
        for issue in issues.only("pk", "year", "number", "total_number", "pdf"):
            note = edition_render(issue_pk=issue.pk, pdf=issue.pdf.name)
            state = Issue.objects.filter(pk=issue.pk).values_list("edition_state", flat=True)
            if state.first() == EditionState.FAILED:
                failed += 1
                self.stderr.write(f"{issue}：{note}")
            else:
                self.stdout.write(f"{issue}：{note}")
        if failed:
            raise CommandError(f"{failed}期的电子版生成失败（原因见上）。")
