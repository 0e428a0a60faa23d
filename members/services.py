"""Workflows on people that touch several models."""

from itertools import groupby

from django.db import transaction

from .models import Person


@transaction.atomic
def person_merge(*, target: Person, others: list[Person]) -> int:
    """Move every byline, masthead role and news mention of ``others`` to ``target``
    and delete ``others``. Returns how many people were merged into ``target``.

    Fields that ``target`` leaves empty are filled from the merged records, so no
    biography or position typed by an editor is lost. Where two of the merged people
    sign the same article, or hold the same seat on one issue's 编委会, the two become
    one (an article names a person once, a board seats them once per role).
    """
    from articles.models import Authorship, NewsItem
    from issues.models import MastheadEntry

    others = [p for p in others if p.pk != target.pk]
    if not others:
        return 0
    other_ids = [p.pk for p in others]
    _combine_shared(
        Authorship.objects,
        target=target,
        other_ids=other_ids,
        key=("article_id",),
        fill=("byline_title",),
    )
    _combine_shared(
        MastheadEntry.objects,
        target=target,
        other_ids=other_ids,
        key=("issue_id", "role"),
        fill=(),
    )
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


def _combine_shared(manager, *, target, other_ids, key, fill):
    """Rows of ``manager`` (bylines or seats) that would collide once ``others`` become
    ``target`` (the same ``key`` for two of the merged people) become one row: the
    target's own if it has one, else the first in order. It keeps the earliest
    ``position`` of the group and takes the ``fill`` fields it leaves empty from the
    others, which are then deleted."""
    fields = ["pk", "person_id", "position", *key, *fill]
    rows = manager.filter(person_id__in=[target.pk, *other_ids]).order_by(*key, "position", "pk")
    doomed = []
    for _group_key, group in groupby(rows.values(*fields), key=lambda r: tuple(r[k] for k in key)):
        group = list(group)
        if len(group) < 2:
            continue
        keeper = next((r for r in group if r["person_id"] == target.pk), group[0])
        rest = [r for r in group if r is not keeper]
        changes = {"position": min(r["position"] for r in group)}
        for field in fill:
            if not keeper[field]:
                changes[field] = next((r[field] for r in rest if r[field]), keeper[field])
        doomed.extend(r["pk"] for r in rest)
        changes = {f: v for f, v in changes.items() if v != keeper[f]}
        if changes:
            manager.filter(pk=keeper["pk"]).update(**changes)
    if doomed:
        manager.filter(pk__in=doomed).delete()
