"""The editors' dashboard on the admin index (``{% editorial_dashboard %}``): workflow
draws the frame; the content apps register their panels in ``AppConfig.ready()``.

A panel is a template and a function of the user giving its context, or None when the
user may not see it; panels show in ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable
    order: int = 0


_panels: list[Panel] = []


def register(template: str, context: Callable, *, order: int = 0) -> None:
    panel = Panel(template, context, order)
    if panel not in _panels:
        _panels.append(panel)


def panels() -> list[Panel]:
    return sorted(_panels, key=lambda panel: panel.order)
