from django.core.management.base import BaseCommand

from articles.models import Article
from search.fulltext import reindex_articles


class Command(BaseCommand):
    help = (
        "Rewrite the search index (jieba words and, on PostgreSQL, the weighted vector) "
        "of every article: after loaddata, a raw SQL load or a change of segmentation."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=200, help="articles per UPDATE (default 200)"
        )

    def handle(self, *args, batch_size, **options):
        count = reindex_articles(Article._base_manager.all(), batch_size=batch_size)
        self.stdout.write(f"已重建 {count} 篇文章的检索索引。")
