from django.db import models
from django.urls import reverse


class PageQuerySet(models.QuerySet):
    def of(self, issue):
        return self.filter(issue=issue).order_by("index")

    def files(self) -> list[str]:
        """The stored names of these pages' images, both widths."""
        names = []
        for image, thumbnail in self.values_list("image", "thumbnail"):
            names += [image, thumbnail]
        return names


class Page(models.Model):
    """One page of an issue's print edition (电子版), rendered from its PDF
    (``edition.rendering``) at a reading width and as a thumbnail, both WebP."""

    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.CASCADE, related_name="pages", verbose_name="期刊"
    )
    index = models.PositiveSmallIntegerField("PDF页序", help_text="PDF 的第几页，从1开始")
    number = models.PositiveSmallIntegerField(
        "印刷页码", null=True, blank=True, help_text="为空：印刷第1页之前的页（封面、目录）"
    )
    image = models.FileField("阅读图", max_length=200)
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    thumbnail = models.FileField("缩略图", max_length=200)
    thumbnail_width = models.PositiveIntegerField("缩略图宽")
    thumbnail_height = models.PositiveIntegerField("缩略图高")

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = "电子版页面"
        verbose_name_plural = "电子版页面"
        ordering = ["issue", "index"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "index"], name="page_unique_index"),
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_number"),
        ]
        indexes = [
            models.Index(fields=["image"], name="page_image_idx"),
            models.Index(fields=["thumbnail"], name="page_thumbnail_idx"),
        ]

    def __str__(self):
        return f"{self.issue} {self.label}"

    def get_absolute_url(self):
        return reverse(
            "edition:page",
            kwargs={"year": self.issue.year, "number": self.issue.number, "page": self.slug},
        )

    @property
    def label(self) -> str:
        """第7页 as printed; the pages before printed page 1 by their place: 封面, 封二,
        正文前第3页."""
        if self.number is not None:
            return f"第{self.number}页"
        return {1: "封面", 2: "封二"}.get(self.index, f"正文前第{self.index}页")

    @property
    def slug(self) -> str:
        """The page's part of its address: the printed number, or ``f<index>`` for a page
        before printed page 1."""
        return str(self.number) if self.number is not None else f"f{self.index}"
