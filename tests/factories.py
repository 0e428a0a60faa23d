"""factory-boy factories for the three apps."""

import datetime

import factory
from django.utils import timezone

from articles.models import Article, Authorship, Column, Highlight, NewsItem
from issues.models import Issue, MastheadEntry
from members.models import Person
from workflow.models import Status


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"委员{n}")


class ColumnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Column
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"lanmu-{n}")
    position = factory.Sequence(int)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    # Years within the model's range and numbers past any real year's 12 issues, so
    # tests that name 2020年第4期 never collide, however long the run.
    year = factory.Sequence(lambda n: 1960 + n % 200)
    number = factory.Sequence(lambda n: 20 + n // 200)
    total_number = factory.Sequence(lambda n: n + 1000)
    pub_date = datetime.date(2020, 9, 1)
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    issue = factory.SubFactory(IssueFactory)
    column = factory.SubFactory(ColumnFactory)
    toc_position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"关于加强政协工作的建议之{n}")
    body = "<p>人民政协是具有中国特色的制度安排。</p>"
    start_page = 1
    end_page = 2
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    article = factory.SubFactory(ArticleFactory)
    person = factory.SubFactory(PersonFactory)


class MastheadEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MastheadEntry

    issue = factory.SubFactory(IssueFactory)
    role = "编委"
    person = factory.SubFactory(PersonFactory)


class HighlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Highlight

    article = factory.SubFactory(ArticleFactory)
    issue = factory.SelfAttribute("article.issue")


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    issue = factory.SubFactory(IssueFactory)
    date = datetime.date(2020, 7, 1)
    part_of_day = "上午"
    text = "市政协副主席武四海带领部分政协委员深入民营企业调研。"
