"""An issue's files: who may read its cover, PDF and cover renditions (a guard of
``uploads.access``), and the renditions its covers are shown in (a source of
``uploads.renditions``); both registered in ``IssuesConfig.ready()``."""

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from uploads.access import PRIVATE_CACHE_CONTROL, PUBLIC_CACHE_CONTROL
from uploads.renditions import rendition_name, rendition_origin

from .models import Issue


def _issues_owning(name: str) -> list[tuple[int, bool]]:
    """``(pk, public)`` of the issues whose cover or PDF is the stored file ``name``, or
    whose cover ``name`` is a rendition of (uploads.renditions names them); ``public``: every
    anonymous reader may have it. One query, whatever the number of issues."""
    owned = Q(cover=name) | Q(pdf=name)
    origin = rendition_origin(name)
    if origin:
        spec_name, stem = origin
        owned |= Q(cover=stem) | Q(cover__startswith=f"{stem}.")
    public = Issue.objects.visible_to(AnonymousUser()).filter(pk=OuterRef("pk"))
    rows = (
        Issue.objects.filter(owned)
        .annotate(public=Exists(public))
        .values_list("pk", "cover", "pdf", "public")
    )
    return [
        (pk, is_public)
        for pk, cover, pdf, is_public in rows
        if name in (cover, pdf) or (origin and cover and rendition_name(cover, spec_name) == name)
    ]


def _in_issue_folders(name: str) -> bool:
    """Is ``name`` where issues' covers and PDFs (or cover renditions) are stored?"""
    folders = tuple(
        Issue._meta.get_field(field).upload_to.folder + "/" for field in ("cover", "pdf")
    )
    origin = rendition_origin(name)
    return name.startswith(folders) or bool(origin and origin[1].startswith(folders))


def _may_open_any_issue(request) -> bool:
    """Staff who may open issues in the admin, where every issue's cover and PDF are
    shown whatever its state, and its preview (the admin's own rule, asked of it)."""
    return admin.site.has_permission(request) and admin.site.get_model_admin(
        Issue
    ).has_view_permission(request)


def cache_control_for_issue_files(request, name: str) -> str | None:
    """The Cache-Control ``name`` is served with if it is an issue's file: public when
    every anonymous reader may have it, private when this signed-in reader may (the issue
    is in ``Issue.objects.visible_to(user)``, or they may open it in the admin). Http404
    when they may not: the answer for a file that does not exist. None for a file of no
    issue (images in articles' text), served as before."""
    owners = _issues_owning(name)
    if not owners:
        if _in_issue_folders(name):
            # A cover or PDF no issue holds any more (replaced, or its issue deleted):
            # linked from nowhere, and possibly an internal issue's old PDF.
            raise Http404("没有这个文件。")
        return None
    if any(is_public for _, is_public in owners):
        return PUBLIC_CACHE_CONTROL
    # No session, no signed-in user: answered without reading the session, so that this
    # 404 carries the same headers (no Vary: Cookie) as that of a missing file.
    if request.session.session_key is not None and request.user.is_authenticated:
        pks = [pk for pk, _ in owners]
        if Issue.objects.visible_to(request.user).filter(
            pk__in=pks
        ).exists() or _may_open_any_issue(request):
            return PRIVATE_CACHE_CONTROL
    raise Http404("没有这个文件。")


def cover_renditions():
    """The renditions covers are shown in: lists (thumb), the issue page (medium)."""
    for issue in Issue.objects.exclude(cover="").only("cover"):
        for spec_name in ("thumb", "medium"):
            yield issue.cover, spec_name
