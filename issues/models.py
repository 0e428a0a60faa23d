from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from uploads.files import CleanImageField, PdfField, RandomFileName
from workflow.models import PublicationQuerySet, Publishable, Visibility, WorkflowEvent
from workflow.revisions import snapshot


class IssueQuerySet(PublicationQuerySet):
    """Readers see an issue by its own state (``workflow.models.PublicationQuerySet``)."""

    def latest_first(self):
        return self.order_by("-year", "-number")


class EditionState(models.TextChoices):
    """Where the pages of an issue's PDF (电子版, the ``edition`` app) stand."""

    NONE = "", "无PDF"
    QUEUED = "queued", "等待生成"
    RENDERING = "rendering", "正在生成"
    READY = "ready", "已生成"
    FAILED = "failed", "生成失败"


class Issue(Publishable):
    """One issue (期) of 《晋城政协》."""

    year = models.PositiveSmallIntegerField(
        "年份", validators=[MinValueValidator(1949), MaxValueValidator(2200)]
    )
    number = models.PositiveSmallIntegerField(
        "期号", validators=[MinValueValidator(1)], help_text="当年第几期"
    )
    total_number = models.PositiveIntegerField(
        "总期号", unique=True, validators=[MinValueValidator(1)], help_text="总第几期"
    )
    pub_date = models.DateField("出版日期", null=True, blank=True)
    # Checked by content, re-encoded without metadata, stored under random names.
    cover = CleanImageField("封面", upload_to=RandomFileName("covers"), blank=True)
    pdf = PdfField("印刷版PDF", upload_to=RandomFileName("pdf", ".pdf"), blank=True)
    page_one = models.PositiveSmallIntegerField(
        "印刷第1页",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="PDF 的第几页印着页码 1（封面、目录之后的那一页）。"
        "留空则按 PDF 的页码标签或页面上印的页码自动识别。",
    )
    # 电子版: the pages rendered from ``pdf`` (edition app), written by its worker.
    edition_pdf = models.CharField("电子版所据PDF", max_length=100, blank=True, editable=False)
    edition_state = models.CharField(
        "电子版",
        max_length=10,
        choices=EditionState.choices,
        blank=True,
        default=EditionState.NONE,
        editable=False,
    )
    edition_note = models.CharField("电子版说明", max_length=300, blank=True, editable=False)
    detected_page_one = models.PositiveSmallIntegerField(
        "识别出的印刷第1页", null=True, blank=True, editable=False
    )
    visibility = models.CharField(
        "公开范围", max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The contact block printed in every issue (主办单位, 地址 …).
    host = models.CharField("主办单位", max_length=100, blank=True, default="政协晋城市委员会")
    address = models.CharField("地址", max_length=200, blank=True)
    email = models.EmailField("电子信箱", blank=True)
    phone = models.CharField("电话", max_length=40, blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    website = models.URLField("网站", blank=True)

    # The 电子版 fields are the worker's record of derived files, not content an editor
    # restores.
    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "updated_at",
            "edition_pdf",
            "edition_state",
            "edition_note",
            "detected_page_one",
        ]
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期刊"
        verbose_name_plural = "期刊"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="issue_unique_year_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="issue_number_positive"),
            models.CheckConstraint(
                condition=Q(total_number__gte=1), name="issue_total_number_positive"
            ),
        ]
        permissions = [
            ("publish_issue", "可以发布或撤回期刊"),
            ("import_issue", "可以导入期刊"),
            ("export_issue", "可以导出期刊"),
        ]

    # 修改稿 of a live issue (workflow.revisions): its own fields, 编委会, 本期导读 and
    # 工作动态 items. Its articles are corrected on their own pages, as their own 修改稿.
    revision_fields = [
        "year",
        "number",
        "total_number",
        "pub_date",
        "cover",
        "pdf",
        "page_one",
        "visibility",
        "host",
        "address",
        "email",
        "phone",
        "postcode",
        "website",
    ]
    revision_relations = {
        "masthead": ["position", "role", "person"],
        "highlights": ["position", "article", "text"],
        "news_items": ["date", "end_date", "part_of_day", "position", "text", "people"],
    }

    def __str__(self):
        return f"{self.year}年第{self.number}期（总第{self.total_number}期）"

    def review_parts(self) -> dict:
        """What the issue's sign-offs cover (``workflow.stages.covered_parts``): what
        readers see of it — its own content, 编委会, 本期导读, 工作动态, and every entry
        publishing makes public with it (an article's text, bylines, pages, place in
        the 目录). Not the states or versions, which the workflow steps move: submitting
        an article changes nothing a reader sees."""
        parts = {"issue": ("本期的期刊信息、编委会、本期导读或工作动态", snapshot(self))}
        articles = self.articles.to_be_published().prefetch_related("authorships")
        for article in articles.order_by("toc_position", "pk"):
            parts[f"article:{article.pk}"] = (f"文章《{article.title}》", snapshot(article))
        return parts

    def get_absolute_url(self):
        return reverse("issues:issue_detail", kwargs={"year": self.year, "number": self.number})

    # Written by the 电子版 worker alone (edition.services, with update()): a save of an
    # issue loaded before the worker's last write must not put the older values back.
    WORKER_FIELDS = frozenset({"edition_pdf", "edition_state", "edition_note", "detected_page_one"})

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and not kwargs.get("force_insert")
            and (kwargs.get("update_fields") is None)
        ):
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key
                and field.attname not in deferred
                and field.name not in self.WORKER_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def has_pages(self) -> bool:
        """Its 电子版 pages are ready for readers (``edition``)."""
        return bool(self.pdf) and self.edition_state == EditionState.READY

    @property
    def printed_page_one(self) -> int:
        """The PDF page printed as page 1: the editor's, else the detected, else the first."""
        return self.page_one or self.detected_page_one or 1

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("year", "number"):
            return ValidationError(
                f"{self.year}年第{self.number}期已经存在，不能重复创建。", code="unique_together"
            )
        if tuple(unique_check) == ("total_number",):
            other = Issue.objects.filter(total_number=self.total_number).exclude(pk=self.pk).first()
            taken_by = f"（已用于{other.year}年第{other.number}期）" if other else ""
            return ValidationError(f"总第{self.total_number}期已被使用{taken_by}。", code="unique")
        return super().unique_error_message(model_class, unique_check)


class MastheadEntry(models.Model):
    """One seat on an issue's 编委会 (主任, 编委, 主编 …). Every issue keeps its own board."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="masthead", verbose_name="期刊"
    )
    role = models.CharField("职务", max_length=20, help_text="如：主任、副主任、编委、主编、副主编")
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        related_name="masthead_entries",
        verbose_name="人物",
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "编委会成员"
        verbose_name_plural = "编委会"
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "role", "person"], name="masthead_unique_role_person"
            ),
        ]

    def __str__(self):
        return f"{self.role}：{self.person.name}"


class IssueEvent(WorkflowEvent):
    """A workflow step of an issue (提交审核, 发布, 撤回, 退回草稿)."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="events", verbose_name="期刊"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = "期刊流程记录"
        verbose_name_plural = "期刊流程记录"
