from django.db import models


class Scope(models.Model):
    """A part of the content that pages show (``issue:12``, ``column:3``, ``global``…)
    and its token, which every transaction writing content of that part replaces just
    before it commits (pagecache.scopes, pagecache.cache)."""

    name = models.CharField("范围", max_length=100, primary_key=True)
    token = models.CharField("令牌", max_length=32)

    class Meta:
        verbose_name = "内容范围"
        verbose_name_plural = "内容范围"

    def __str__(self) -> str:
        return f"{self.name}: {self.token}"
