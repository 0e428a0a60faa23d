from django.core.management.base import BaseCommand, CommandError

from issues.corpus import FIRST_TOTAL_NUMBER, LAST_YEAR, generate_corpus
from workflow.models import Status


class Command(BaseCommand):
    help = (
        "生成测试用期刊库：以2020年第4期的文字为素材，打乱段落、换标题、人名、日期、页码和期号，"
        "经导入程序同一路径保存（含检索索引）。同一 --seed 生成相同内容；已有的期号跳过。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, required=True, help="期数")
        parser.add_argument("--seed", type=int, default=0, help="随机种子（默认 0）")
        parser.add_argument(
            "--articles-per-issue", type=int, default=25, help="每期文章数（默认 25）"
        )
        parser.add_argument(
            "--news-per-issue", type=int, default=100, help="每期工作动态条数（默认 100）"
        )
        parser.add_argument("--per-year", type=int, default=6, help="每年期数（默认 6）")
        parser.add_argument(
            "--last-year", type=int, default=LAST_YEAR, help=f"最后一期的年份（默认 {LAST_YEAR}）"
        )
        parser.add_argument(
            "--first-total",
            type=int,
            default=FIRST_TOTAL_NUMBER,
            help=f"第一期的总期号（默认 {FIRST_TOTAL_NUMBER}，不与真实期刊重复）",
        )
        parser.add_argument(
            "--status",
            choices=[Status.DRAFT, Status.PUBLISHED],
            default=Status.PUBLISHED,
            help="保存后的状态（默认 published 已发布）",
        )

    def handle(self, *args, **options):
        for name in ("issues", "articles_per_issue", "per_year", "first_total"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} 至少为 1")
        if options["news_per_issue"] < 0:
            raise CommandError("--news-per-issue 不能为负数")
        step = max(1, options["issues"] // 10)

        def progress(done, total):
            if done % step == 0 or done == total:
                self.stdout.write(f"  {done}/{total}")

        result = generate_corpus(
            issues=options["issues"],
            seed=options["seed"],
            articles_per_issue=options["articles_per_issue"],
            news_per_issue=options["news_per_issue"],
            per_year=options["per_year"],
            last_year=options["last_year"],
            first_total=options["first_total"],
            status=options["status"],
            progress=progress if options["verbosity"] >= 1 else None,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {result.created} 期：文章 {result.articles} 篇，"
                f"工作动态 {result.news_items} 条，用时 {result.seconds:.1f} 秒"
            )
            + (f"；{result.skipped} 期已存在，跳过" if result.skipped else "")
        )
