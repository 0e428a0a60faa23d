"""What a person appears in — bylines, 编委会 seats, 工作动态 mentions — registered by
the content apps in their ``AppConfig.ready()``: members knows none of their models.

Each appearance names the person page's context variable (``name``), the lookup from
one of its rows to the person (``person_field``), and ``visible(user)``: its rows that
``user`` may read (built on the models' ``visible_to()``), in the page's order; and
``scopes(row)``: the page cache's scopes of what the row shows (``pagecache.scopes``),
with ``lists``, those of the lists it belongs to — without them the person page is
stale after any edit.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Appearance:
    name: str
    person_field: str
    visible: Callable
    order: int = 0
    scopes: Callable | None = None
    lists: tuple[str, ...] = ()


_appearances: list[Appearance] = []


def register(
    name: str,
    *,
    person_field: str,
    visible: Callable,
    order: int = 0,
    scopes: Callable | None = None,
    lists: tuple[str, ...] = (),
) -> None:
    appearance = Appearance(name, person_field, visible, order, scopes, tuple(lists))
    if appearance not in _appearances:
        _appearances.append(appearance)


def appearances() -> list[Appearance]:
    return sorted(_appearances, key=lambda appearance: appearance.order)


# --- What a merge changes in content ---------------------------------------------------
#
# Content that prints people's names (an article's byline) registers a function
# ``changed(*, target, others)`` returning the objects whose printed names a merge of
# ``others`` into ``target`` would change. The merge then counts as a change to each of
# them: allowed only to whoever may change that object in its own admin (published
# content: only who may publish it), and recorded in its history.

_merge_effects: list[Callable] = []


def register_merge_effect(changed: Callable) -> Callable:
    if changed not in _merge_effects:
        _merge_effects.append(changed)
    return changed


def changed_by_merge(*, target, others) -> list:
    """The content objects whose printed names change when ``others`` merge into
    ``target``, from every registered effect."""
    return [obj for changed in _merge_effects for obj in changed(target=target, others=others)]
