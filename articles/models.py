import html
import re

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from simple_history.models import HistoricalRecords

from richtext.fields import RichTextField
from workflow.models import PublicationQuerySet, Publishable, WorkflowEvent

from . import rendered
from .indexing import INDEXED_FIELDS, article_changed, articles_changed
from .slugs import pinyin_slug, unique_slug


class Column(models.Model):
    """A 栏目 of the magazine: 高层声音, 学习论坛, 本期关注 …"""

    name = models.CharField("名称", max_length=40, unique=True)
    slug = models.SlugField(
        "网址名",
        max_length=60,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z0-9-]+$", "只能使用小写英文字母、数字和连字符（如拼音）。")
        ],
        blank=True,
        help_text="英文或拼音，如 gaocengshengyin；留空则按名称自动生成拼音"
        "（委员风采 → weiyuanfengcai），已被占用时加 -2、-3",
    )
    description = models.TextField("简介", blank=True)
    position = models.PositiveSmallIntegerField("显示顺序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:column_detail", kwargs={"slug": self.slug})

    def clean(self):
        # Filled here as well as in save(), so the admin form's uniqueness check sees it.
        self.fill_slug()

    def fill_slug(self) -> None:
        """A blank 网址名 becomes the pinyin of the name, made unique (see articles.slugs)."""
        if self.slug or not self.name:
            return
        others = Column._default_manager.exclude(pk=self.pk)
        max_length = self._meta.get_field("slug").max_length
        self.slug = unique_slug(
            pinyin_slug(self.name, max_length=max_length),
            lambda slug: others.filter(slug=slug).exists(),
            max_length=max_length,
        )


# Columns of an article a public page loads for nothing: the search words (tens of KB
# per article) always; the text as shown on its own page, in lists (their teaser comes
# from ``rendered_summary``, checked against the text it was made from); everything but
# the titles, where a page prints only titles.
_NEVER_SHOWN = ("search_text", "search_vector")
_SHOWN_ON_ITS_PAGE = ("rendered_body", "rendered_editors_note")
_TEASER_SOURCES = ("body", "editors_note", "abstract", "rendered_summary")


def unshown(shows: str, prefix: str = "") -> list[str]:
    """The deferred fields of an article on a page that ``shows`` its "text" (its own
    page), its "summary" (lists with teasers) or its "title" (lists of titles), as
    lookups from ``prefix`` (e.g. ``"article__"``)."""
    fields = {
        "text": _NEVER_SHOWN,
        "summary": _NEVER_SHOWN + _SHOWN_ON_ITS_PAGE,
        "title": _NEVER_SHOWN + _SHOWN_ON_ITS_PAGE + _TEASER_SOURCES,
    }[shows]
    return [prefix + field for field in fields]


class ArticleQuerySet(PublicationQuerySet):
    """Readers see an article when it and its issue are published and both publication
    times have passed (``workflow.models.PublicationQuerySet``)."""

    container = "issue"

    def in_issue(self, issue):
        return self.filter(issue=issue)

    def in_toc_order(self):
        return self.order_by("toc_position", "start_page", "pk")

    def latest_first(self):
        return self.order_by("-issue__year", "-issue__number", "toc_position")

    # The bulk paths skip Article.save; these tell search anyway (articles.indexing)
    # and store the rendered text (articles.rendered).
    def update(self, **kwargs):
        indexed = not INDEXED_FIELDS.isdisjoint(kwargs)
        shown = not rendered.SOURCE_FIELDS.isdisjoint(kwargs)
        if not (indexed or shown):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            rows = super().update(**kwargs)
            if shown:
                self._render(pks)
            if indexed:
                self._changed(pks)
        return rows

    update.alters_data = True

    def _changed(self, pks):
        articles_changed.send(sender=self.model, pks=set(pks), using=self.db)

    def _render(self, pks):
        articles = list(self.model._base_manager.using(self.db).filter(pk__in=pks))
        for article in articles:
            rendered.store(article)
        models.QuerySet(self.model, using=self.db).bulk_update(articles, rendered.STORED_FIELDS)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            rendered.store(obj)
        created = super().bulk_create(objs, *args, **kwargs)
        # Without returned keys (ignore_conflicts) there is nothing to point at:
        # ``manage.py reindex_search`` catches up.
        pks = [obj.pk for obj in created if obj.pk is not None]
        if pks:
            self._changed(pks)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        if not rendered.SOURCE_FIELDS.isdisjoint(fields):
            objs = list(objs)
            for obj in objs:
                rendered.store(obj)
            fields = [*fields, *(f for f in rendered.STORED_FIELDS if f not in fields)]
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if not INDEXED_FIELDS.isdisjoint(fields):
            self._changed(obj.pk for obj in objs)
        return rows

    bulk_update.alters_data = True

    def with_listing(self, *, shows="summary"):
        """What lists of articles show: issue, column and bylines, in a fixed number
        of queries, without the columns the page does not print (``unshown``)."""
        return (
            self.select_related("issue", "column")
            .prefetch_related(
                models.Prefetch("authorships", queryset=Authorship.objects.select_related("person"))
            )
            .defer(*unshown(shows))
        )


class Article(Publishable):
    """One entry of an issue's table of contents (目录)."""

    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.CASCADE, related_name="articles", verbose_name="期刊"
    )
    column = models.ForeignKey(
        Column, on_delete=models.PROTECT, related_name="articles", verbose_name="栏目"
    )
    toc_position = models.PositiveSmallIntegerField(
        "目录序号", validators=[MinValueValidator(1)], help_text="在本期目录中的位置，从1开始"
    )
    kicker = models.CharField("引题", max_length=200, blank=True)
    title = models.CharField("主标题", max_length=300)
    subtitle = models.CharField("副标题", max_length=300, blank=True)
    toc_title = models.CharField(
        "目录标题", max_length=300, blank=True, help_text="目录中的写法与主标题不同时填写"
    )
    source = models.CharField("来源", max_length=100, blank=True, help_text="如：新华社")
    event_date = models.DateField("讲话或活动日期", null=True, blank=True)
    editors_note = RichTextField("编者按", blank=True)
    abstract = models.TextField(
        "摘要",
        blank=True,
        help_text="列表、RSS订阅和搜索引擎显示的一两句话（120字以内为宜）；留空则取正文开头几句。",
    )
    body = RichTextField("正文", blank=True)
    author_note = models.TextField("作者简介", blank=True, help_text="如：作者系……")
    start_page = models.PositiveSmallIntegerField("起始页", validators=[MinValueValidator(1)])
    end_page = models.PositiveSmallIntegerField("结束页", validators=[MinValueValidator(1)])
    continuation_pages = models.JSONField(
        "转接页",
        default=list,
        blank=True,
        help_text="正文转到的其他页（下转/上接），如 [43]",
    )

    # jieba-segmented words of title, 引题, 副标题, authors and body; kept current on save.
    search_text = models.TextField("检索词", blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    # The text as pages show it, made on every write (articles.rendered).
    rendered_body = models.TextField("正文（显示用）", blank=True, default="", editable=False)
    rendered_editors_note = models.TextField(
        "编者按（显示用）", blank=True, default="", editable=False
    )
    rendered_summary = models.TextField("提要（显示用）", blank=True, default="", editable=False)
    rendered_key = models.CharField(
        "显示用文本的依据", max_length=32, blank=True, default="", editable=False
    )

    history = HistoricalRecords(
        excluded_fields=[
            "version",
            "updated_at",
            "search_text",
            "search_vector",
            *rendered.STORED_FIELDS,
        ]
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        ordering = ["issue", "toc_position"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "toc_position"], name="article_unique_toc_position"
            ),
            models.CheckConstraint(
                condition=Q(end_page__gte=F("start_page")), name="article_pages_ascend"
            ),
            models.CheckConstraint(
                condition=Q(start_page__gte=1), name="article_start_page_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_visibility_idx"),
            models.Index(fields=["column", "-published_at"], name="article_column_idx"),
        ]
        permissions = [("publish_article", "可以发布或撤回文章")]

    # 修改稿 of a live article (workflow.revisions): what a correction may change.
    revision_fields = [
        "column",
        "kicker",
        "title",
        "subtitle",
        "toc_title",
        "source",
        "event_date",
        "author_note",
        "editors_note",
        "body",
        "start_page",
        "end_page",
        "continuation_pages",
        "abstract",
        "toc_position",
    ]
    revision_relations = {"authorships": ["position", "person", "byline_title", "role"]}

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "articles:article_detail",
            kwargs={
                "year": self.issue.year,
                "number": self.issue.number,
                "position": self.toc_position,
            },
        )

    @property
    def pages_label(self) -> str:
        """第18–25页, as printed in a 目录."""
        if self.end_page and self.end_page != self.start_page:
            return f"第{self.start_page}–{self.end_page}页"
        return f"第{self.start_page}页"

    @property
    def summary(self) -> str:
        """A plain-text teaser for lists, feeds and the meta description: the editor's
        摘要, else the first sentences of the body, else of the 编者按, else the 副标题,
        else the title; at most SUMMARY_LENGTH characters (``articles.teasers``)."""
        return rendered.rendered(self, "rendered_summary")

    @property
    def body_markup(self) -> str:
        """The 正文 as the page shows it: uploaded images as their renditions."""
        return mark_safe(
            rendered.rendered(self, "rendered_body")
        )  # sanitized on save (RichTextField)

    @property
    def editors_note_markup(self) -> str:
        return mark_safe(rendered.rendered(self, "rendered_editors_note"))  # sanitized, as the body

    @property
    def entry_label(self) -> str:
        """第3条《题目》: how the pre-publication check names a 目录 entry."""
        return f"第{self.toc_position}条《{self.title}》"

    def has_body(self) -> bool:
        """Text or an image in the body; a 工作动态 entry's body is its dated items
        (``news_count``, when the query annotated it)."""
        if getattr(self, "news_count", 0):
            return True
        body = self.body or ""
        text = html.unescape(strip_tags(body)).replace("\xa0", "").strip()
        return bool(text) or "<img" in body

    def clean(self):
        errors = {}
        if self.start_page and self.end_page and self.end_page < self.start_page:
            errors["end_page"] = (
                f"结束页（第{self.end_page}页）不能早于起始页（第{self.start_page}页）。"
            )
        pages = self.continuation_pages
        if not isinstance(pages, list) or not all(
            isinstance(p, int) and not isinstance(p, bool) and p >= 1 for p in pages
        ):
            errors["continuation_pages"] = "转接页应为正整数页码的列表，如 [43]。"
        if errors:
            raise ValidationError(errors)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("issue", "toc_position"):
            return ValidationError(f"本期目录中已有第{self.toc_position}条。", code="unique")
        return super().unique_error_message(model_class, unique_check)

    def save(self, *args, **kwargs):
        if self.end_page is None and self.start_page:
            self.end_page = self.start_page
        new = self.pk is None
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            rendered.store(self)
        elif not rendered.SOURCE_FIELDS.isdisjoint(update_fields):
            rendered.store(self)
            kwargs["update_fields"] = {*update_fields, *rendered.STORED_FIELDS}
        super().save(*args, **kwargs)
        if update_fields is not None and INDEXED_FIELDS.isdisjoint(update_fields):
            return  # e.g. a status change: the indexed text is unchanged
        self.reindex(bylines="" if new else None)

    def reindex(self, *, bylines=None):
        """Have search store the words it looks up (``articles.indexing``).
        ``bylines``: the byline text when the caller knows it (a new article has none)."""
        article_changed.send(sender=type(self), article=self, bylines=bylines)


class AuthorshipQuerySet(models.QuerySet):
    """Bylines are indexed with their article: every bulk path reindexes the articles
    it touches (``members.services.person_merge`` moves bylines with ``update``)."""

    UNINDEXED_FIELDS = frozenset({"role", "position"})

    def _reindex(self, article_ids):
        article_ids = {pk for pk in article_ids if pk is not None}
        if article_ids:
            articles_changed.send(sender=Article, pks=article_ids, using=self.db)

    def update(self, **kwargs):
        if self.UNINDEXED_FIELDS.issuperset(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            article_ids = set(self.values_list("article_id", flat=True))
            rows = super().update(**kwargs)
            moved_to = kwargs.get("article", kwargs.get("article_id"))
            article_ids.add(getattr(moved_to, "pk", moved_to))
            self._reindex(article_ids)
        return rows

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            article_ids = set(self.values_list("article_id", flat=True))
            result = super().delete()
            self._reindex(article_ids)
        return result

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        self._reindex(obj.article_id for obj in created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if not self.UNINDEXED_FIELDS.issuperset(fields):
            self._reindex(obj.article_id for obj in objs)
        return rows

    bulk_update.alters_data = True


class Authorship(models.Model):
    """A byline: who, with the title printed beside the name in this article
    (高平市委书记 胡晓刚) — the title belongs to the byline, not to the person."""

    class Role(models.TextChoices):
        AUTHOR = "作者", "作者"
        SPEAKER = "发言", "发言"
        REPORTER = "反映", "反映"
        SPEECH = "讲话", "讲话"
        EDITOR = "编辑", "编辑"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="authorships", verbose_name="文章"
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.PROTECT,
        related_name="authorships",
        verbose_name="人物",
    )
    byline_title = models.CharField("署名职务", max_length=200, blank=True)
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField("排序", default=0)

    objects = AuthorshipQuerySet.as_manager()

    class Meta:
        verbose_name = "署名"
        verbose_name_plural = "署名"
        ordering = ["article", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="authorship_unique_person"),
        ]

    def __str__(self):
        return f"{self.byline_title} {self.person.name}".strip()

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.article.reindex()

    def delete(self, *args, **kwargs):
        article = self.article
        result = super().delete(*args, **kwargs)
        article.reindex()
        return result


class Highlight(models.Model):
    """A line of an issue's 本期导读, pointing at the featured article."""

    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.CASCADE, related_name="highlights", verbose_name="期刊"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="highlights", verbose_name="文章"
    )
    text = models.CharField("导读文字", max_length=300, blank=True, help_text="留空则用文章标题")
    position = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "本期导读"
        verbose_name_plural = "本期导读"
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="highlight_unique_article"),
        ]

    def __str__(self):
        return self.text or self.article.title

    def clean(self):
        if self.article_id and self.issue_id and self.article.issue_id != self.issue_id:
            raise ValidationError({"article": "导读只能指向本期的文章。"})


# The date printed at the head of a 工作动态 item: 7月1日上午， / 8月17日到21日， …
_LEADING_DATE = re.compile(
    r"^\s*\d{1,2}月\d{1,2}日?(?:\s*[至到—–~-]\s*(?:\d{1,2}月)?\d{1,2}日)?"
    r"(?:上午|下午|晚上|全天)?\s*[，,、：:]?\s*"
)


class NewsItemQuerySet(PublicationQuerySet):
    """Items of a published issue. An item printed in a 工作动态 entry also follows that
    entry, so a draft or withdrawn entry hides its items everywhere."""

    state = "article"
    state_optional = True
    container = "issue"

    def latest_first(self):
        return self.order_by("-date", "-issue__year", "-issue__number", "position", "pk")


class NewsItem(models.Model):
    """One dated ★ item of 工作动态, addressable on its own."""

    class PartOfDay(models.TextChoices):
        NONE = "", "—"
        MORNING = "上午", "上午"
        AFTERNOON = "下午", "下午"
        EVENING = "晚上", "晚上"
        ALL_DAY = "全天", "全天"

    issue = models.ForeignKey(
        "issues.Issue", on_delete=models.CASCADE, related_name="news_items", verbose_name="期刊"
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_items",
        verbose_name="所属栏目文章",
        help_text="刊登这条动态的“工作动态”目录条目",
    )
    date = models.DateField("日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    part_of_day = models.CharField(
        "时段", max_length=4, choices=PartOfDay.choices, default=PartOfDay.NONE, blank=True
    )
    text = models.TextField("内容")
    people = models.ManyToManyField(
        "members.Person", related_name="news_items", blank=True, verbose_name="相关人物"
    )
    position = models.PositiveSmallIntegerField("排序", default=0)

    history = HistoricalRecords()

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = "工作动态"
        verbose_name_plural = "工作动态"
        ordering = ["issue", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="newsitem_dates_ascend",
            ),
        ]
        indexes = [models.Index(fields=["-date"], name="newsitem_date_idx")]

    def __str__(self):
        return f"{self.date_label} {self.text[:30]}"

    def get_absolute_url(self):
        return reverse("articles:newsitem_detail", kwargs={"pk": self.pk})

    @property
    def date_label(self) -> str:
        label = f"{self.date.month}月{self.date.day}日"
        if self.end_date and self.end_date != self.date:
            if self.end_date.month == self.date.month:
                label += f"至{self.end_date.day}日"
            else:
                label += f"至{self.end_date.month}月{self.end_date.day}日"
        return label + (self.part_of_day or "")

    @property
    def text_after_date(self) -> str:
        """The text without the date printed at its head (7月1日上午，…), for lists that
        show ``date_label`` beside it."""
        return _LEADING_DATE.sub("", self.text, count=1) or self.text

    def clean(self):
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": "结束日期不能早于开始日期。"})


class ArticleEvent(WorkflowEvent):
    """A workflow step of an article, including its publication with its issue."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="events", verbose_name="文章"
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = "文章流程记录"
        verbose_name_plural = "文章流程记录"


class ArticleImage(models.Model):
    """An uploaded image an article shows in its 正文 or 编者按 (its stored name, as
    ``uploads.renditions.uploaded_images`` reads it from the text): who may see the
    image follows from who may read the articles showing it (``articles.media``). Kept
    current whenever the text changes, on every path that tells search
    (``articles.indexing``)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images", verbose_name="文章"
    )
    name = models.CharField("文件", max_length=255, db_index=True)

    class Meta:
        verbose_name = "文章图片"
        verbose_name_plural = "文章图片"
        ordering = ["article", "name"]
        constraints = [
            models.UniqueConstraint(fields=["article", "name"], name="article_image_unique"),
        ]

    def __str__(self):
        return self.name
