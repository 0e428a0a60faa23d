from django.views.generic import DetailView

from pagecache.scopes import depend

from .appearances import appearances
from .models import Person


class PersonDetailView(DetailView):
    """Everything a person wrote, said or reported (with the byline title as printed
    each time), their 编委会 seats and the 工作动态 items naming them (as registered in
    ``members.appearances``: ``authorships``, ``masthead_entries``, ``news_items``). A
    person with nothing the reader may see is a 404. Template: members/person_detail.html."""

    template_name = "members/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.with_visible_content(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        found, scoped = [f"person:{self.object.pk}"], True
        for appearance in appearances():
            rows = list(appearance.visible(user).filter(**{appearance.person_field: self.object}))
            context[appearance.name] = rows
            if appearance.scopes is None:
                scoped = False  # no scopes declared: the page is stale after any edit
                continue
            found += appearance.lists
            found += (scope for row in rows for scope in appearance.scopes(row))
        if scoped:
            depend(self.request, *found)
        return context
