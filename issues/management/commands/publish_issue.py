from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from issues.checks import issue_check
from issues.services import issue_publish
from workflow.transitions import WorkflowError

from ._workflow import add_issue_arguments, find_issue, find_user, parse_at


class Command(BaseCommand):
    help = (
        "发布一期（须为“待审”且通过发布前检查），连同其未撤回的文章；"
        "--at 指定将来的时间即为定时发布。规则与后台相同。"
    )

    def add_arguments(self, parser):
        add_issue_arguments(parser)
        parser.add_argument(
            "--at",
            metavar='"YYYY-MM-DD HH:MM"',
            help='发布时间（北京时间），如 "2020-09-01 08:00"；不指定则立即发布',
        )

    def handle(self, *args, year, number, user, note, at, **options):
        issue = find_issue(year, number)
        by = find_user(user)
        at = parse_at(at)
        try:
            issue_publish(issue=issue, by=by, at=at, note=note)
        except WorkflowError as refused:
            raise CommandError(str(refused)) from None
        for warning in issue_check(issue).warnings:
            self.stdout.write(f"提醒：{warning}")
        when = timezone.localtime(issue.published_at).strftime("%Y-%m-%d %H:%M")
        if issue.published_at > timezone.now():
            self.stdout.write(self.style.SUCCESS(f"已定时发布{issue}：{when} 起读者可见。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"已发布{issue}（发布时间 {when}）。"))
