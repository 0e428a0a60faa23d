"""The images in articles' text: which articles show which uploaded image
(``ArticleImage``, kept current here), who may read such an image and its renditions (a
guard of ``uploads.access``), and the renditions they are shown in (a source of
``uploads.renditions``); all registered in ``ArticlesConfig.ready()``."""

from functools import reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from uploads.access import PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL
from uploads.files import EDITOR_UPLOADS_FOLDER
from uploads.renditions import rendition_name, rendition_origin, uploaded_images

from .indexing import deferred
from .models import Article, ArticleImage

_NAME_LENGTH = ArticleImage._meta.get_field("name").max_length


def text_image_renditions():
    texts = Article.objects.filter(
        Q(editors_note__contains="<img") | Q(body__contains="<img")
    ).values_list("editors_note", "body")
    for text in (t for pair in texts for t in pair):
        for file in uploaded_images(text):
            yield file, "body"


# --- Which article shows which image ------------------------------------------------------


def _shown_in(pk, *texts) -> set[tuple[int, str]]:
    return {
        (pk, file.name)
        for text in texts
        for file in uploaded_images(text)
        if len(file.name) <= _NAME_LENGTH  # no such upload: nothing to serve either
    }


def record_images(pks, *, using="default", articles=()) -> None:
    """Make the ``ArticleImage`` rows of the articles ``pks`` say what their 编者按 and
    正文 show now; ``articles``: those of them already in memory (their text is read
    from there rather than queried again)."""
    pks = {pk for pk in pks if pk is not None}
    if not pks:
        return
    known = {a.pk: a for a in articles if a.pk in pks}
    texts = [(a.pk, a.editors_note, a.body) for a in known.values()]
    if len(known) < len(pks):
        texts += (
            Article._base_manager.using(using)
            .filter(pk__in=pks - known.keys())
            .values_list("pk", "editors_note", "body")
        )
    shown = set().union(*(_shown_in(*row) for row in texts))
    rows = ArticleImage._base_manager.using(using)
    recorded = set(rows.filter(article__in=pks).values_list("article_id", "name"))
    gone = recorded - shown
    if gone:
        rows.filter(reduce(or_, (Q(article_id=pk, name=name) for pk, name in gone))).delete()
    rows.bulk_create([ArticleImage(article_id=pk, name=name) for pk, name in shown - recorded])


def on_article_changed(sender, article, **kwargs):
    """``articles.indexing.article_changed``: an article's text may have changed."""
    db = article._state.db or "default"
    if not deferred(type(article)._base_manager.model, db, [article.pk]):
        record_images([article.pk], using=db, articles=[article])


def on_articles_changed(sender, pks, using, **kwargs):
    """``articles.indexing.articles_changed``: the bulk paths changed these articles."""
    record_images(pks, using=using)


# --- Who may read an image in articles' text ----------------------------------------------


def _may_edit_articles(user) -> bool:
    """Staff who edit articles: they see drafts in the editor and the preview, and the
    images they upload before any article is saved with them (the preview's rule,
    ``workflow.preview``)."""
    return user.is_staff and user.has_perm(
        f"{Article._meta.app_label}.change_{Article._meta.model_name}"
    )


def cache_control_for_article_images(request, name: str) -> str | None:
    """The Cache-Control an image uploaded for articles' text (or a rendition of one) is
    served with: public when an article every anonymous reader may see shows it; private
    for a signed-in reader who may read an article showing it (内部资料), and for staff
    who edit articles (drafts, scheduled articles, images not yet saved into any
    article); Http404, the answer for a missing file, to anyone else. None for any other
    file. One query for an anonymous reader, whatever the number of articles."""
    origin = rendition_origin(name)
    original = origin[1] if origin else name
    if not original.startswith(EDITOR_UPLOADS_FOLDER):
        return None
    shown = Q(name__startswith=f"{original}.") if origin else Q(name=name)
    public = Article.objects.visible_to(AnonymousUser()).filter(pk=OuterRef("article"))
    rows = [
        (article, is_public)
        for article, original_name, is_public in ArticleImage.objects.filter(shown)
        .annotate(public=Exists(public))
        .values_list("article", "name", "public")
        if not origin or rendition_name(original_name, origin[0]) == name
    ]
    if any(is_public for _, is_public in rows):
        return PUBLIC_CACHE_CONTROL
    # No session, no signed-in user: answered without reading the session, so that this
    # 404 carries the same headers (no Vary: Cookie) as that of a missing file.
    if request.session.session_key is not None and request.user.is_authenticated:
        user = request.user
        pks = [article for article, _ in rows]
        if (pks and Article.objects.visible_to(user).filter(pk__in=pks).exists()) or (
            _may_edit_articles(user)
        ):
            return PRIVATE_CACHE_CONTROL
    raise Http404("没有这个文件。")
