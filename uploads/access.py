"""Who may read an uploaded file: ``serve_media`` asks the guards that the apps owning
files register in their ``AppConfig.ready()`` (issues: covers, PDFs and cover
renditions; articles: images in their text and the renditions of those). uploads knows
no model.

A guard is called as ``guard(request, name)`` with the stored name of the file asked
for, and returns the Cache-Control to serve it with when the file is its business and
the reader may have it, raises ``Http404`` when it is its business and they may not
(the answer for a file that does not exist), and returns None otherwise.
"""

from collections.abc import Callable

# Cache-Control of the files of an issue only signed-in readers may have (内部资料, or a
# draft, scheduled or withdrawn issue staff are preparing): kept by no shared cache, and
# not stored by the browser either, so that an internal PDF does not stay on the disk of a
# shared office computer after its user signs out. Few readers ask for these; a second
# reading downloads the file again.
PRIVATE_CACHE_CONTROL = "private, no-store"
PUBLIC_CACHE_CONTROL = "public, max-age=86400"


_guards: list[Callable] = []


def register(guard: Callable) -> Callable:
    if guard not in _guards:
        _guards.append(guard)
    return guard


def cache_control(request, name: str) -> str:
    """The Cache-Control the file ``name`` is served with; Http404 from a guard when
    this reader may not have it. A file no guard claims (none the site links to) is
    public."""
    for guard in _guards:
        found = guard(request, name)
        if found is not None:
            return found
    return PUBLIC_CACHE_CONTROL
