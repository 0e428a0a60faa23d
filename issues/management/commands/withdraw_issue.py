from django.core.management.base import BaseCommand, CommandError

from issues.services import issue_withdraw
from workflow.transitions import WorkflowError

from ._workflow import add_issue_arguments, find_issue, find_user


class Command(BaseCommand):
    help = "撤回已发布的一期：读者从此看不到它和它的文章。规则与后台相同。"

    def add_arguments(self, parser):
        add_issue_arguments(parser)

    def handle(self, *args, year, number, user, note, **options):
        issue = find_issue(year, number)
        try:
            issue_withdraw(issue=issue, by=find_user(user), note=note)
        except WorkflowError as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(self.style.SUCCESS(f"已撤回{issue}。"))
