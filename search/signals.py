"""The index follows the content through these handlers, connected in
``SearchConfig.ready()``: articles and members never import search (see
``articles.indexing``). Each calls ``fulltext`` through the module, so that tests may
stand in for the indexing."""

from articles.models import Article

from . import fulltext


def on_article_changed(sender, article, bylines=None, **kwargs):
    fulltext.update_search_index(article, bylines=bylines)


def on_articles_changed(sender, pks, using, **kwargs):
    pks = {pk for pk in pks if pk is not None}
    if pks:
        fulltext.reindex_articles(sender._base_manager.using(using).filter(pk__in=pks))


def on_person_saved(sender, instance, raw=False, **kwargs):
    """Bylines are searchable: a renamed author is found under the new name."""
    loaded_name = getattr(instance, "_loaded_name", None)
    if not raw and loaded_name is not None and loaded_name != instance.name:
        fulltext.reindex_articles(Article.objects.filter(authorships__person=instance))
