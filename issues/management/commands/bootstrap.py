import json
from importlib.resources import files

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Column
from issues.models import Issue
from security.management.commands.ensure_admin import ensure_admin

# The apps' own data (fixtures/ at the top only links to them for people).
COLUMNS_FIXTURE = files("articles") / "fixtures" / "columns.json"
DEMO_ISSUE = files("issues") / "fixtures" / "jczx-2020-04.md"


def load_standing_columns() -> int:
    """Create the standing 栏目 that are missing; never overwrite an editor's changes."""
    created = 0
    for record in json.loads(COLUMNS_FIXTURE.read_text(encoding="utf-8")):
        fields = record["fields"]
        _, was_created = Column.objects.get_or_create(slug=fields["slug"], defaults=fields)
        created += was_created
    return created


class Command(BaseCommand):
    help = "Prepare a quick-start site: standing columns, the demo issue, an admin account."

    def handle(self, *args, **options):
        created = load_standing_columns()
        self.stdout.write(f"栏目：新建 {created} 个，共 {Column.objects.count()} 个。")
        if Issue.objects.exists():
            self.stdout.write("已有期刊，跳过演示期刊导入。")
        else:
            # The printed issue says 内部资料; the demo is shown to every reader.
            call_command(
                "import_issue",
                str(DEMO_ISSUE),
                visibility="public",
                stdout=self.stdout,
                stderr=self.stderr,
            )
        password = ensure_admin("admin")
        if password is None:
            self.stdout.write("管理员账号 admin 已存在，密码未改变。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已创建管理员账号：admin  密码：{password}"))
            self.stdout.write("请妥善保存此密码，它只显示这一次。")
