"""Who may read a page image (a guard of ``uploads.access``, registered in
``EditionConfig.ready()``): whoever may read the issue's PDF, with the same
Cache-Control (``issues.media``): public issues' pages cacheable, internal (内部资料)
or unpublished issues' only for signed-in readers who may read them, 404 for anyone
else."""

from django.db.models import Q
from django.http import Http404

from issues.media import cache_control_for_issue_files

from .models import Page
from .services import PAGES_FOLDER


def cache_control_for_page_images(request, name: str) -> str | None:
    if not name.startswith(PAGES_FOLDER):
        return None
    pdf = (
        Page.objects.filter(Q(image=name) | Q(thumbnail=name))
        .values_list("issue__pdf", flat=True)
        .first()
    )
    if not pdf:
        # An image of pages replaced or deleted, or of an issue without a PDF any more.
        raise Http404("没有这个文件。")
    return cache_control_for_issue_files(request, pdf)
