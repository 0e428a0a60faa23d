from django.apps import AppConfig


class UploadsConfig(AppConfig):
    """Uploads: checked images and PDFs, /media/ serving, renditions."""

    name = "uploads"
    verbose_name = "上传文件"
