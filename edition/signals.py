"""Issues and pages kept in step, connected in ``EditionConfig.ready()``: a saved issue
whose PDF changed queues its rendering; a deleted page's images are removed."""

from .services import discard_page_files
from .tasks import edition_queue


def issue_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's rows as they are
        return
    edition_queue(issue=instance)


def page_deleted(sender, instance, **kwargs):
    discard_page_files([instance.image.name, instance.thumbnail.name])
