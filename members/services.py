"""Workflows on people that touch several models."""

from itertools import groupby

from django.db import transaction
from django.db.models import CharField, TextField, UniqueConstraint
from simple_history.utils import NotHistoricalModelError, get_history_manager_for_model

from .appearances import changed_by_merge
from .models import Person


def merge_reason(*, target: Person, others: list[Person]) -> str:
    """What the history of content changed by a merge says: 人物合并：冒名者 → 张三."""
    names = "、".join(p.name for p in others if p.pk != target.pk)
    return f"人物合并：{names} → {target.name}"


@transaction.atomic
def person_merge(*, target: Person, others: list[Person], by=None) -> int:
    """Move every byline, masthead role and news mention of ``others`` to ``target``
    and delete ``others``. Returns how many people were merged into ``target``.

    The content whose printed names change (``members.appearances.changed_by_merge``:
    an article whose byline named one of ``others``) gets a history entry by ``by``
    saying so (``merge_reason``). Whether ``by`` may change that content is the
    caller's question: the admin asks the content's own admin before calling.

    Whatever points at a person is found through ``Person._meta.related_objects``: a
    foreign key is moved with the model's own ``update()`` (bylines reindex themselves
    for search), a many-to-many link is replaced.

    Fields that ``target`` leaves empty are filled from the merged records, so no
    biography or position typed by an editor is lost. Where two of the merged people
    sign the same article, or hold the same seat on one issue's 编委会, the two become
    one (an article names a person once, a board seats them once per role).
    """
    others = [p for p in others if p.pk != target.pk]
    if not others:
        return 0
    changed = changed_by_merge(target=target, others=others)
    reason = merge_reason(target=target, others=others)
    other_ids = [p.pk for p in others]
    for relation in Person._meta.related_objects:
        field = relation.field.name
        manager = relation.related_model._default_manager
        if relation.many_to_many:
            for row in manager.filter(**{f"{field}__in": other_ids}).distinct():
                getattr(row, field).remove(*other_ids)
                getattr(row, field).add(target)
            continue
        for key in _unique_keys_beside(relation.related_model, relation.field):
            _combine_shared(
                manager, field=relation.field, target=target, other_ids=other_ids, key=key
            )
        manager.filter(**{f"{field}__in": other_ids}).update(**{field: target})
    for field in ("position", "sector", "party", "bio"):
        if not getattr(target, field):
            value = next((getattr(p, field) for p in others if getattr(p, field)), "")
            setattr(target, field, value)
    target.is_member = target.is_member or any(p.is_member for p in others)
    target.save()
    Person.objects.filter(pk__in=other_ids).delete()
    _record_in_history(changed, reason=reason, by=by)
    return len(others)


def _record_in_history(objects, *, reason, by) -> None:
    """One history entry (simple-history, "changed") for each of ``objects`` whose model
    keeps one, with ``reason`` as its change reason."""
    by_model = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        try:
            history = get_history_manager_for_model(model)
        except NotHistoricalModelError:
            continue
        history.bulk_history_create(
            group, update=True, default_user=by, default_change_reason=reason
        )


def _unique_keys_beside(model, person_field) -> list[tuple[str, ...]]:
    """The other columns of each unique constraint that includes ``person_field``: two
    merged people's rows with the same values there (one article, one seat) would
    collide once both name the target."""
    keys = []
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, UniqueConstraint) and person_field.name in fields:
            keys.append(
                tuple(model._meta.get_field(f).attname for f in fields if f != person_field.name)
            )
    return keys


def _combine_shared(manager, *, field, target, other_ids, key):
    """Rows of ``manager`` (bylines or seats) that would collide once ``others`` become
    ``target`` (the same ``key`` for two of the merged people) become one row: the
    target's own if it has one, else the first in order. It keeps the earliest
    ``position`` of the group and fills the text fields it leaves empty (a byline title
    only the duplicate had) from the others, which are then deleted."""
    model = manager.model
    attname = field.attname
    has_position = any(f.name == "position" for f in model._meta.concrete_fields)
    fill = [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, CharField | TextField) and f.attname not in key
    ]
    order = [*key, *(["position"] if has_position else []), "pk"]
    fields = ["pk", attname, *key, *fill, *(["position"] if has_position else [])]
    rows = manager.filter(**{f"{attname}__in": [target.pk, *other_ids]}).order_by(*order)
    doomed = []
    for _group_key, group in groupby(rows.values(*fields), key=lambda r: tuple(r[k] for k in key)):
        group = list(group)
        if len(group) < 2:
            continue
        keeper = next((r for r in group if r[attname] == target.pk), group[0])
        rest = [r for r in group if r is not keeper]
        changes = {}
        if has_position:
            changes["position"] = min(r["position"] for r in group)
        for name in fill:
            if not keeper[name]:
                changes[name] = next((r[name] for r in rest if r[name]), keeper[name])
        doomed.extend(r["pk"] for r in rest)
        changes = {f: v for f, v in changes.items() if v != keeper[f]}
        if changes:
            manager.filter(pk=keeper["pk"]).update(**changes)
    if doomed:
        manager.filter(pk__in=doomed).delete()
