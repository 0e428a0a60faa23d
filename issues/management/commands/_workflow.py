"""What the workflow commands share: finding the issue, the acting user, the time."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from issues.models import Issue


def add_issue_arguments(parser):
    parser.add_argument("year", type=int, help="年份，如 2020")
    parser.add_argument("number", type=int, help="当年期号，如 4")
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        help="以此用户的身份操作并检查其权限（记入流程记录）。"
        "不指定则以系统操作员身份运行：不检查权限，记录为“系统（命令行）”。",
    )
    parser.add_argument("--note", default="", help="记入流程记录的说明")


def find_issue(year: int, number: int) -> Issue:
    try:
        return Issue.objects.get(year=year, number=number)
    except Issue.DoesNotExist:
        raise CommandError(f"没有{year}年第{number}期。") from None


def find_user(username: str | None):
    """The acting user, or None for the system operator (no --user)."""
    if username is None:
        return None
    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise CommandError(f"没有用户 {username}。") from None


def parse_at(value: str | None):
    """``--at "2020-09-01 08:00"`` in the site's time zone (Asia/Shanghai)."""
    if value is None:
        return None
    try:
        at = parse_datetime(value.strip())
    except ValueError:
        at = None
    if at is None:
        raise CommandError(f'--at 的时间“{value}”无法识别，应写作 "2020-09-01 08:00"。')
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return at
