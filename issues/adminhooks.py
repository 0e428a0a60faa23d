"""What the apps above ``issues`` add to the issue's admin (docs/architecture.md, rule 3):
registered in their ``AppConfig.ready()`` and read by ``IssueAdmin``, so that ``issues``
imports none of them (``edition`` adds 重新生成电子版 and says where the pages stand)."""

from collections.abc import Callable

# Admin actions on the list of issues: functions, as ``ModelAdmin.actions`` takes them.
ACTIONS: list[Callable] = []
# Admin views of one issue: (route, view, name), mounted as ``<object_id>/<route>`` and
# named ``admin:issues_issue_<name>``; called as ``view(model_admin, request, object_id)``.
VIEWS: list[tuple[str, Callable, str]] = []
# Buttons on an issue's change page, opened in the same tab:
# ``link(model_admin, request, issue)`` → [(label, url)].
LINKS: list[Callable] = []
# What a read-only field of the change page says: field name → ``display(issue)``.
DISPLAYS: dict[str, Callable] = {}


def extend(*, actions=(), views=(), links=(), displays=None) -> None:
    """Add to the issue's admin (called once per app, from its ``ready()``)."""
    ACTIONS.extend(actions)
    VIEWS.extend(views)
    LINKS.extend(links)
    DISPLAYS.update(displays or {})
