"""The renditions images in articles' text are shown in (a source of
``uploads.renditions``, registered in ``ArticlesConfig.ready()``)."""

from django.db.models import Q

from uploads.renditions import uploaded_images

from .models import Article


def text_image_renditions():
    texts = Article.objects.filter(
        Q(editors_note__contains="<img") | Q(body__contains="<img")
    ).values_list("editors_note", "body")
    for text in (t for pair in texts for t in pair):
        for file in uploaded_images(text):
            yield file, "body"
