import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


def ensure_admin(username: str) -> str | None:
    """Create the superuser ``username`` with a random password and return the password;
    return None if the account exists (its password is left alone)."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(12)
    users.objects.create_superuser(username=username, email="", password=password)
    return password


class Command(BaseCommand):
    help = "Create the first admin account with a random password, printed once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="account name (default: admin)")

    def handle(self, *args, username, **options):
        password = ensure_admin(username)
        if password is None:
            self.stdout.write(f"管理员账号 {username} 已存在，密码未改变。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已创建管理员账号：{username}  密码：{password}"))
            self.stdout.write("请妥善保存此密码，它只显示这一次。")
