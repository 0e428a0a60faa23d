"""What a person appears in — bylines, 编委会 seats, 工作动态 mentions — registered by
the content apps in their ``AppConfig.ready()``: members knows none of their models.

Each appearance names the person page's context variable (``name``), the lookup from
one of its rows to the person (``person_field``), and ``visible(user)``: its rows that
``user`` may read (built on the models' ``visible_to()``), in the page's order.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Appearance:
    name: str
    person_field: str
    visible: Callable
    order: int = 0


_appearances: list[Appearance] = []


def register(name: str, *, person_field: str, visible: Callable, order: int = 0) -> None:
    appearance = Appearance(name, person_field, visible, order)
    if appearance not in _appearances:
        _appearances.append(appearance)


def appearances() -> list[Appearance]:
    return sorted(_appearances, key=lambda appearance: appearance.order)
