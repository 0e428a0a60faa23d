"""Workflows on people that touch several models."""

from django.db import transaction

from .models import Person


@transaction.atomic
def person_merge(*, target: Person, others: list[Person]) -> int:
    """Move every byline, masthead role and news mention of ``others`` to ``target``
    and delete ``others``. Returns how many people were merged into ``target``.

    Fields that ``target`` leaves empty are filled from the merged records, so no
    biography or position typed by an editor is lost.
    """
    from articles.models import Authorship, NewsItem
    from issues.models import MastheadEntry

    others = [p for p in others if p.pk != target.pk]
    if not others:
        return 0
    other_ids = [p.pk for p in others]
    Authorship.objects.filter(person_id__in=other_ids).update(person=target)
    MastheadEntry.objects.filter(person_id__in=other_ids).update(person=target)
    for item in NewsItem.objects.filter(people__in=other_ids).distinct():
        item.people.remove(*other_ids)
        item.people.add(target)
    for field in ("position", "sector", "party", "bio"):
        if not getattr(target, field):
            value = next((getattr(p, field) for p in others if getattr(p, field)), "")
            setattr(target, field, value)
    target.is_member = target.is_member or any(p.is_member for p in others)
    target.save()
    Person.objects.filter(pk__in=other_ids).delete()
    return len(others)
