from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from issues.importing.interchange import dumps, issue_export
from issues.models import Issue


class Command(BaseCommand):
    help = "把一期期刊导出为 JSON 交换文件（格式见 docs/interchange.md）。"

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="年份，如 2020")
        parser.add_argument("number", type=int, help="当年第几期，如 4")
        parser.add_argument("-o", "--output", metavar="FILE", help="写入文件；不写则输出到屏幕")

    def handle(self, *args, **options):
        year, number = options["year"], options["number"]
        issue = Issue.objects.filter(year=year, number=number).first()
        if issue is None:
            raise CommandError(f"没有{year}年第{number}期")
        text = dumps(issue_export(issue=issue))
        if options["output"]:
            path = Path(options["output"])
            try:
                path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"{path}：无法写入（{exc.strerror}）") from None
            self.stdout.write(f"已导出 {issue} 到 {path}")
        else:
            self.stdout.write(text, ending="")
