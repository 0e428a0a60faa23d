"""What a public page may show, asked through one method so that a preview can swap it."""


class ReaderMixin:
    """Public views get what they list through ``self.readable(Model)``: what this reader
    may see, ``Model.objects.visible_to(user)``. ``workflow.preview.DraftPreviewMixin``
    overrides it so that the same view, template and context show a draft exactly as
    readers will see it once published."""

    def readable(self, model):
        return model.objects.visible_to(self.request.user)
