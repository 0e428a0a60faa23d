"""Preview (预览): staff see a draft exactly as readers will, through the public views'
own templates and context, at ``/preview/articles/<pk>/`` and ``/preview/issues/<pk>/``
(``articles.views.ArticlePreviewView``, ``issues.views.IssuePreviewView``, mounted by
jczx/urls.py).

``DraftPreviewMixin`` is the one place that decides draft preview: signed-in staff with
the change permission on the model see any object whatever its state, with everything the
page lists (its 目录, neighbours, 工作动态 items, 本期导读) as publishing will make it
public; anyone else gets 404 — the same answer as for a page that does not exist, so a
preview link reveals nothing. Previews are never cached and never indexed.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers


class DraftPreviewMixin:
    """Put before a public DetailView built on ``ReaderMixin``: the object comes from
    every state, and whatever the view lists through ``readable()`` is what publishing
    will make public (``to_be_published()``), for who may preview; 404 for anyone else."""

    preview_model = None

    def may_preview(self, user) -> bool:
        opts = self.preview_model._meta
        return (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )

    def dispatch(self, request, *args, **kwargs):
        if not self.may_preview(request.user):
            raise Http404("没有这个页面。")
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def readable(self, model):
        return model.objects.to_be_published()

    def get_object(self, queryset=None):
        return get_object_or_404(self.preview_model._default_manager.all(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)
