from django.views.generic import DetailView

from articles.models import Article, Authorship, NewsItem
from issues.models import Issue, MastheadEntry

from .models import Person


class PersonDetailView(DetailView):
    """Everything a person wrote, said or reported (with the byline title as printed
    each time), their 编委会 seats and the 工作动态 items naming them. A person with
    nothing the reader may see is a 404. Template: members/person_detail.html."""

    template_name = "members/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.with_visible_content(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        person = self.object
        context["authorships"] = (
            Authorship.objects.filter(person=person, article__in=Article.objects.visible_to(user))
            .select_related("article__issue", "article__column")
            .order_by("-article__issue__year", "-article__issue__number", "article__toc_position")
        )
        context["masthead_entries"] = (
            MastheadEntry.objects.filter(person=person, issue__in=Issue.objects.visible_to(user))
            .select_related("issue")
            .order_by("-issue__year", "-issue__number", "position")
        )
        context["news_items"] = (
            NewsItem.objects.visible_to(user)
            .filter(people=person)
            .latest_first()
            .select_related("issue")
        )
        return context
