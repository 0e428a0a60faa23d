from django.db import models


class Generation(models.Model):
    """The content generation (pagecache.cache): one row, id 1, whose token every
    transaction that writes content replaces just before it commits."""

    token = models.CharField("令牌", max_length=32)

    class Meta:
        verbose_name = "内容版本"
        verbose_name_plural = "内容版本"

    def __str__(self) -> str:
        return self.token
