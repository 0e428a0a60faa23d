from django.apps import AppConfig


class RichTextConfig(AppConfig):
    """Rich text: the sanitized RichTextField."""

    name = "richtext"
    verbose_name = "富文本"
