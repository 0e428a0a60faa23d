from django.core.management.base import BaseCommand

from uploads.renditions import make_all_renditions


class Command(BaseCommand):
    help = (
        "预先生成所有图片的缩略图（封面 thumb/medium，正文图片 body），"
        "读者第一次打开页面时就不必等待。已有的不会重复生成。"
    )

    def handle(self, *args, **options):
        made, failed = make_all_renditions()
        self.stdout.write(
            f"缩略图：{made} 个可用" + (f"，{failed} 个无法生成（见日志）" if failed else "")
        )
