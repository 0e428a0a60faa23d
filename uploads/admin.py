"""Admin support for models with uploaded files: a full disk is a message on the form.

Nothing here is registered; the apps owning file fields mix ``UploadSavingAdminMixin``
into their ModelAdmin (issues: the cover and the PDF)."""

import logging

from django import forms

from .storage import DISK_FULL_MESSAGE, is_disk_full

logger = logging.getLogger("jczx.uploads")


class _UploadNotSaved:
    """Form mixin: the file fields the user chose a file for carry ``upload_failure``."""

    upload_failure = ""

    def clean(self):
        cleaned = super().clean()
        chosen = [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField) and self.add_prefix(name) in self.files
        ]
        for name in chosen or [None]:
            self.add_error(name, self.upload_failure)
        return cleaned


class UploadSavingAdminMixin:
    """Files are written by the model's save(), after the form was valid and inside the
    transaction of the admin's change form. When the disk is full that transaction is
    rolled back (the storage has removed what it wrote), and the form is shown again,
    as filled in, with the message on the file field: the editor loses nothing typed,
    the object keeps its previous files."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            logger.error("%s: upload by %s not saved: %s", request.path, request.user, exc)
            request.upload_failure = DISK_FULL_MESSAGE
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        failure = getattr(request, "upload_failure", None)
        if failure is None:
            return form_class
        return type(form_class.__name__, (_UploadNotSaved, form_class), {"upload_failure": failure})
