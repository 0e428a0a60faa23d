from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .appearances import appearances


class PersonQuerySet(models.QuerySet):
    def with_visible_content(self, user):
        """People with something ``user`` may read: a byline in a visible article, a
        seat on a visible issue's 编委会 or a mention in a visible 工作动态 item.

        Built from the visible_to() QuerySets (``members.appearances``), so a draft
        never makes a person public.
        """
        found = [
            Exists(a.visible(user).filter(**{a.person_field: OuterRef("pk")}))
            for a in appearances()
        ]
        return self.filter(reduce(or_, found, Q(pk__in=[])))


class Person(models.Model):
    """A person who writes, speaks, reports, sits on the 编委会 or appears in 工作动态.

    Two people may share a name: nothing here merges them; the admin's merge action
    does it explicitly (``members.services.person_merge``).
    """

    name = models.CharField("姓名", max_length=40, db_index=True)
    position = models.CharField("现任职务", max_length=200, blank=True)
    is_member = models.BooleanField("政协委员", default=False)
    sector = models.CharField("界别", max_length=60, blank=True)
    party = models.CharField("党派", max_length=60, blank=True)
    bio = models.TextField("简介", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人物"
        verbose_name_plural = "人物"
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.position}）" if self.position else self.name

    def save(self, *args, **kwargs):
        # post_save handlers see ``_loaded_name`` still the stored one: search reindexes
        # the bylines of a renamed person (search.signals).
        super().save(*args, **kwargs)
        self._loaded_name = self.name

    def get_absolute_url(self):
        return reverse("members:person_detail", kwargs={"pk": self.pk})

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember the stored name, so that a save can tell a rename.
        instance = super().from_db(db, field_names, values)
        instance._loaded_name = instance.__dict__.get("name")
        return instance
