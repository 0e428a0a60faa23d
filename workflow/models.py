"""The publication states shared by issues and articles (草稿 → 待审 → 已发布, 已撤回),
and the one rule that decides from them what readers see.

No concrete model here: ``Publishable`` and ``WorkflowEvent`` are abstract, and
``PublicationQuerySet`` is composed by the content apps' QuerySets (Issue, Article,
NewsItem), which say through which relations their states are reached.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Min, Q
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Visibility(models.TextChoices):
    PUBLIC = "public", "公开"
    INTERNAL = "internal", "内部资料"


def _at(path: str, lookup: str) -> str:
    return f"{path}__{lookup}" if path else lookup


def live(path: str = "", *, now) -> Q:
    """Readers see it: published and its publication time passed (the object at
    ``path``, a relation, or the object itself)."""
    return Q(**{_at(path, "status"): Status.PUBLISHED, _at(path, "published_at__lte"): now})


def scheduled(path: str = "", *, now) -> Q:
    """定时发布: published, its publication time still ahead."""
    return Q(**{_at(path, "status"): Status.PUBLISHED, _at(path, "published_at__gt"): now})


class PublicationQuerySet(models.QuerySet):
    """THE visibility rule, for every model readers see through a publication state.

    A subclass says where the states are:

    - ``state``: the relation holding the model's own state, ``""`` for the model itself
      (an issue, an article); a 工作动态 item follows the entry that printed it,
      ``"article"``, which may be empty (``state_optional``);
    - ``container``: a relation whose publication must have happened too (an article's
      issue), and where the 公开/内部资料 choice (``visibility``) is made.

    Scheduled items appear the moment their time comes: everything is decided at query
    time, with no job to run.
    """

    state = ""
    state_optional = False
    container = ""

    def published(self):
        """What readers may see, published with its container, both times passed."""
        now = timezone.now()
        rule = live(self.state, now=now)
        if self.state_optional:
            rule = Q(**{_at(self.state, "isnull"): True}) | rule
        if self.container:
            rule = live(self.container, now=now) & rule
        return self.filter(rule)

    def visible_to(self, user):
        """What ``user`` may read on the public site: internal (内部资料) content only
        for signed-in readers."""
        qs = self.published()
        if user is None or not user.is_authenticated:
            qs = qs.filter(**{_at(self.container, "visibility"): Visibility.PUBLIC})
        return qs

    def scheduled(self):
        """Published, with the publication time still ahead (定时发布)."""
        return self.filter(scheduled(self.state, now=timezone.now()))

    def released(self):
        """Published, now or at a time ahead: what only who may publish may change."""
        return self.filter(**{_at(self.state, "status"): Status.PUBLISHED})

    def unreleased(self):
        return self.exclude(**{_at(self.state, "status"): Status.PUBLISHED})

    def to_be_published(self):
        """All but the withdrawn (已撤回): what publishing makes public, what a preview
        shows."""
        return self.exclude(**{_at(self.state, "status"): Status.WITHDRAWN})

    def in_progress(self):
        """Still being prepared or reviewed (草稿, 待审)."""
        return self.filter(**{_at(self.state, "status__in"): [Status.DRAFT, Status.REVIEW]})

    def awaiting_review(self):
        return self.filter(**{_at(self.state, "status"): Status.REVIEW})

    def next_publication_after(self, moment):
        """The earliest scheduled publication time after ``moment``, or None: when what
        readers see changes next without any write."""
        times = self.filter(scheduled(self.state, now=moment))
        return times.aggregate(t=Min(_at(self.state, "published_at")))["t"]


class Publishable(models.Model):
    """Status and publication time. Visibility is decided at query time from both, so
    a scheduled item appears the moment its time comes, with no job to run."""

    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "发布时间",
        null=True,
        blank=True,
        db_index=True,
        help_text="留空则在发布时取当前时间；填写将来的时间即为定时发布。",
    )
    version = models.PositiveIntegerField("版本", default=0, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    # The rule of PublicationQuerySet for one loaded object (its own state only).

    @property
    def is_released(self) -> bool:
        """Readers see it now, or will at its scheduled time."""
        return self.status == Status.PUBLISHED

    @property
    def is_live(self) -> bool:
        """Readers see it now (as far as its own state goes)."""
        return (
            self.is_released
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        """定时发布: published, the publication time still ahead."""
        return (
            self.is_released
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class WorkflowEvent(models.Model):
    """One step of the editorial workflow (提交审核, 发布, 撤回 …): who, when, from which
    state to which, and why. Concrete subclasses add the foreign key to their object."""

    from_status = models.CharField(
        "原状态",
        max_length=12,
        choices=Status.choices,
        blank=True,
        help_text="为空表示新建（导入）",
    )
    to_status = models.CharField("新状态", max_length=12, choices=Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
        help_text="为空表示系统操作（命令行未指定 --user）",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    publish_at = models.DateTimeField(
        "发布时间", null=True, blank=True, help_text="发布操作所定的发布时间（可能是将来）"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]

    @property
    def user_label(self) -> str:
        if self.user is None:
            return "系统（命令行）"
        return self.user.get_full_name() or self.user.get_username()

    @property
    def from_label(self) -> str:
        return Status(self.from_status).label if self.from_status else "新建"

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label


def claim_version(obj: Publishable, expected: int | None) -> None:
    """Optimistic locking: move ``obj``'s row from version ``expected`` to the next one in
    a single UPDATE, or raise :class:`EditConflict` if someone saved it meanwhile.

    The compare and the increment are one statement, so of two concurrent saves of the
    same version exactly one wins, on PostgreSQL and SQLite alike; the row stays locked
    by the UPDATE until the caller's transaction ends. ``expected=None`` (a client that
    sent no version) only increments.
    """
    rows = type(obj)._default_manager.filter(pk=obj.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    if not rows.update(version=F("version") + 1):
        raise EditConflict(obj)
    obj.version = (expected if expected is not None else obj.version) + 1


class EditConflict(Exception):
    """The object was saved by someone else since this editor opened it."""

    def __init__(self, obj):
        self.obj = obj
        super().__init__(conflict_message(obj))


def conflict_message(obj) -> str:
    """What the second of two editors reads: who saved first and when, if history knows."""
    last = obj.history.order_by("-history_date").select_related("history_user").first()
    by = ""
    if last is not None:
        user = last.history_user
        name = (user.get_full_name() or user.get_username()) if user else "其他人"
        when = timezone.localtime(last.history_date).strftime("%Y-%m-%d %H:%M")
        by = f"（{name} 于 {when} 保存）"
    return (
        f"保存失败：在您打开此页之后，《{obj}》已被修改{by}。"
        "您的修改没有保存，先保存的内容已保留。"
        "请复制您要保留的文字，重新打开本页，在最新内容上再修改。"
    )


class ReviewStage(models.Model):
    """One stage of the office's review (三审: 初审, 复审, 终审), in ``order``, signed by
    a member of ``group``. Set in the admin; a data migration creates the three."""

    name = models.CharField("审级", max_length=20, unique=True)
    order = models.PositiveSmallIntegerField("顺序", unique=True, help_text="从小到大依次签发")
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.PROTECT,
        related_name="review_stages",
        verbose_name="签发用户组",
        help_text="该组的成员签发这一审级",
    )

    class Meta:
        ordering = ["order"]
        verbose_name = "审级"
        verbose_name_plural = "审级"

    def __str__(self):
        return self.name


class SignOffQuerySet(models.QuerySet):
    def of_model(self, model):
        return self.filter(
            content_type=ContentType.objects.get_for_model(model, for_concrete_model=True)
        )

    def of(self, piece):
        return self.filter(
            content_type=ContentType.objects.get_for_model(piece, for_concrete_model=True),
            object_id=piece.pk,
        )

    def signed(self):
        return self.filter(kind=SignOff.Kind.SIGNED)

    def valid_for(self, piece):
        """The sign-offs of ``piece`` that still count: signed at its current version."""
        return self.of(piece).signed().filter(version=piece.version)


class SignOff(models.Model):
    """A reviewer's sign-off (签发) of one stage of a piece — an article, an issue — or
    its return (退回) with comments: who, when, 审稿意见, and the exact version signed.
    A change to the piece moves its version, and every sign-off of an older version
    stops counting."""

    class Kind(models.TextChoices):
        SIGNED = "signed", "签发"
        RETURNED = "returned", "退回"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="类型")
    object_id = models.PositiveBigIntegerField("对象编号")
    piece = GenericForeignKey("content_type", "object_id")
    stage = models.ForeignKey(
        ReviewStage, on_delete=models.PROTECT, related_name="sign_offs", verbose_name="审级"
    )
    kind = models.CharField("结果", max_length=10, choices=Kind.choices, default=Kind.SIGNED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sign_offs",
        verbose_name="审稿人",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    opinion = models.TextField("审稿意见", blank=True)
    version = models.PositiveIntegerField("所签版本")
    published_version = models.PositiveIntegerField(
        "发布后版本", null=True, blank=True, help_text="用此签发发布后，对象的版本"
    )
    # What the sign-off covered beyond the piece's own row, for a piece that has such
    # parts (an issue: its articles, 编委会, 本期导读, 工作动态): a hash of all of them,
    # and per part its label and hash, to say which part changed after the sign-off.
    fingerprint = models.CharField("内容指纹", max_length=64, blank=True, default="")
    covered = models.JSONField("所签内容", default=dict, blank=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "签发记录"
        verbose_name_plural = "签发记录"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.stage} {self.get_kind_display()}：{self.user_label}"

    @property
    def user_label(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class RevisionQuerySet(models.QuerySet):
    def of(self, piece):
        return self.filter(
            content_type=ContentType.objects.get_for_model(piece, for_concrete_model=True),
            object_id=piece.pk,
        )

    def pending(self):
        """Not yet published nor discarded: the one draft of changes a live piece has."""
        return self.filter(status__in=[Status.DRAFT, Status.REVIEW])

    def awaiting_review(self):
        return self.filter(status=Status.REVIEW)


class Revision(models.Model):
    """修改稿: changes to live content, kept apart from the live row (Wagtail's draft
    revision). Readers see the live version until the revision has passed the review
    stages and is published; its sign-offs are its own (``SignOff`` points at it).
    ``data`` holds the content fields and related rows as ``workflow.revisions`` writes
    them; ``version`` moves with every save of the draft, voiding earlier sign-offs."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="类型")
    object_id = models.PositiveBigIntegerField("对象编号")
    piece = GenericForeignKey("content_type", "object_id")
    data = models.JSONField("内容")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    base_version = models.PositiveIntegerField("所依据的发布版本")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="最后修改人",
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "修改稿"
        verbose_name_plural = "修改稿"
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.piece}（修改稿）"

    @property
    def admin_piece(self):
        """The live piece whose admin page shows this revision."""
        return self.piece
