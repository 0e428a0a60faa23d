"""Workflows on people that touch several models."""

from django.db import transaction

from .models import Person


@transaction.atomic
def person_merge(*, target: Person, others: list[Person]) -> int:
    """Move every byline, masthead role and news mention of ``others`` to ``target``
    and delete ``others``. Returns how many people were merged into ``target``.

    Whatever points at a person is found through ``Person._meta.related_objects``: a
    foreign key is moved with the model's own ``update()`` (bylines reindex themselves
    for search), a many-to-many link is replaced.

    Fields that ``target`` leaves empty are filled from the merged records, so no
    biography or position typed by an editor is lost.
    """
    others = [p for p in others if p.pk != target.pk]
    if not others:
        return 0
    other_ids = [p.pk for p in others]
    for relation in Person._meta.related_objects:
        field = relation.field.name
        rows = relation.related_model._default_manager.filter(**{f"{field}__in": other_ids})
        if relation.many_to_many:
            for row in rows.distinct():
                getattr(row, field).remove(*other_ids)
                getattr(row, field).add(target)
        else:
            rows.update(**{field: target})
    for field in ("position", "sector", "party", "bio"):
        if not getattr(target, field):
            value = next((getattr(p, field) for p in others if getattr(p, field)), "")
            setattr(target, field, value)
    target.is_member = target.is_member or any(p.is_member for p in others)
    target.save()
    Person.objects.filter(pk__in=other_ids).delete()
    return len(others)
