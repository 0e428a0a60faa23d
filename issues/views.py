from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView, TemplateView

from articles.models import Article

from .models import Issue


class HomeView(TemplateView):
    """Home page: the latest issue a reader may see. Template: issues/home.html."""

    template_name = "issues/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["issue"] = Issue.objects.visible_to(self.request.user).latest_first().first()
        return context


class IssueListView(ListView):
    """往期回顾. Template: issues/issue_list.html."""

    template_name = "issues/issue_list.html"
    context_object_name = "issues"

    def get_queryset(self):
        return Issue.objects.visible_to(self.request.user).latest_first()


class IssueDetailView(DetailView):
    """An issue's 目录. Template: issues/issue_detail.html."""

    template_name = "issues/issue_detail.html"
    context_object_name = "issue"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Issue.objects.visible_to(self.request.user),
            year=self.kwargs["year"],
            number=self.kwargs["number"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.visible_to(self.request.user)
            .in_issue(self.object)
            .with_listing()
            .in_toc_order()
        )
        return context
