from django.views.generic import DetailView

from articles.models import Article

from .models import Person


class PersonDetailView(DetailView):
    """Everything a person wrote, said or reported. Template: members/person_detail.html."""

    model = Person
    template_name = "members/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["articles"] = (
            Article.objects.visible_to(self.request.user)
            .filter(authorships__person=self.object)
            .with_listing()
            .latest_first()
            .distinct()
        )
        return context
