import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Column, NewsItem
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    IssueFactory,
    NewsItemFactory,
    PersonFactory,
)
from workflow.models import Status

pytestmark = pytest.mark.django_db


def test_end_page_before_start_page_is_refused():
    article = ArticleFactory.build(
        issue=IssueFactory(), column=ArticleFactory().column, start_page=25, end_page=18
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert excinfo.value.message_dict["end_page"] == ["结束页（第18页）不能早于起始页（第25页）。"]
    with pytest.raises(IntegrityError), transaction.atomic():
        article.save()


def test_pages_label_and_url():
    article = ArticleFactory(
        issue=IssueFactory(year=2020, number=4, total_number=43),
        toc_position=5,
        start_page=18,
        end_page=25,
    )
    assert article.pages_label == "第18–25页"
    assert article.get_absolute_url() == "/issues/2020/4/articles/5/"
    assert ArticleFactory(start_page=49, end_page=49).pages_label == "第49页"


def test_toc_position_is_unique_within_an_issue():
    first = ArticleFactory(toc_position=3)
    clash = ArticleFactory.build(issue=first.issue, column=first.column, toc_position=3)
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert excinfo.value.messages == ["本期目录中已有第3条。"]


def test_continuation_pages_must_be_page_numbers():
    article = ArticleFactory.build(
        issue=IssueFactory(), column=ArticleFactory().column, continuation_pages=["下转43页"]
    )
    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert "continuation_pages" in excinfo.value.message_dict


def test_byline_title_belongs_to_the_byline_not_the_person():
    person = PersonFactory(name="姚逊", position="市委副书记")
    first = AuthorshipFactory(person=person, byline_title="市委副书记", role="作者")
    second = AuthorshipFactory(person=person, byline_title="市长", role="讲话")
    assert str(first) == "市委副书记 姚逊"
    assert str(second) == "市长 姚逊"
    assert person.authorships.count() == 2


def test_published_rule_checks_article_and_issue_and_time():
    now = timezone.now()
    live = ArticleFactory()
    ArticleFactory(status=Status.DRAFT)
    ArticleFactory(published_at=now + datetime.timedelta(minutes=5))
    ArticleFactory(issue=IssueFactory(status=Status.REVIEW))
    ArticleFactory(status=Status.WITHDRAWN)
    assert list(Article.objects.published()) == [live]


def test_search_text_holds_segmented_words_of_headlines_bylines_and_body():
    article = ArticleFactory(
        title="将我市建成山西省药茶产业高地的建议", body="<p>连翘、黄芩等都是道地药材</p>"
    )
    AuthorshipFactory(
        article=article, person=PersonFactory(name="李正根"), byline_title="泽州县政协主席"
    )
    words = Article.objects.get(pk=article.pk).search_text.split()
    assert {"药茶", "产业", "山西省", "李正根", "政协", "黄芩"} <= set(words)


def test_news_item_dates_and_label():
    item = NewsItemFactory(
        date=datetime.date(2020, 7, 29), end_date=datetime.date(2020, 7, 31), part_of_day=""
    )
    assert item.date_label == "7月29日至31日"
    assert (
        NewsItemFactory(date=datetime.date(2020, 7, 1), part_of_day="上午").date_label
        == "7月1日上午"
    )
    bad = NewsItem(
        issue=item.issue,
        date=datetime.date(2020, 8, 2),
        end_date=datetime.date(2020, 8, 1),
        text="x",
    )
    with pytest.raises(ValidationError):
        bad.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bad.save()


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("7月1日上午，市政协副主席武四海带领委员调研。", "市政协副主席武四海带领委员调研。"),
        ("8月17日到21日，市政协副主席武四海调研。", "市政协副主席武四海调研。"),
        ("7月29日至31日，全国政协副主席来晋城视察。", "全国政协副主席来晋城视察。"),
        ("市政协召开主席会议。", "市政协召开主席会议。"),
        ("7月1日上午", "7月1日上午"),  # nothing after the date: keep the text
    ],
)
def test_news_item_text_after_the_printed_date(text, rest):
    assert NewsItem(date=datetime.date(2020, 7, 1), text=text).text_after_date == rest


def test_standing_columns_load_from_fixtures(columns):
    assert [c.name for c in Column.objects.all()] == [
        "高层声音",
        "学习论坛",
        "本期关注",
        "会议专题",
        "社情民意",
        "工作动态",
    ]
    assert Column.objects.get(name="社情民意").slug == "sheqingminyi"


# --- 摘要 --------------------------------------------------------------------------

SPEECH = (
    "<p>今年是全面建成小康社会和“十三五”规划收官之年。<strong>推动</strong>高质量发展，"
    "必须坚持新发展理念。全市政协组织和广大政协委员要围绕中心、服务大局，"
    "在建言资政和凝聚共识上双向发力，为谱写晋城高质量转型发展新篇章贡献智慧和力量。"
    "要加强委员队伍建设，引导委员懂政协、会协商、善议政，守纪律、讲规矩、重品行。</p>"
)


def test_summary_is_the_editors_abstract_when_there_is_one():
    article = ArticleFactory(abstract="  晋城市委书记在市委政协工作会议上的讲话。 ", body=SPEECH)
    assert article.summary == "晋城市委书记在市委政协工作会议上的讲话。"


def test_summary_is_otherwise_the_first_sentences_of_the_body_that_fit():
    article = ArticleFactory(subtitle="2020年8月6日", body=SPEECH)
    assert article.summary == (
        "今年是全面建成小康社会和“十三五”规划收官之年。推动高质量发展，必须坚持新发展理念。"
        "全市政协组织和广大政协委员要围绕中心、服务大局，"
        "在建言资政和凝聚共识上双向发力，为谱写晋城高质量转型发展新篇章贡献智慧和力量。"
    )


def test_summary_cuts_one_long_sentence_and_falls_back_to_the_subtitle_then_title():
    long = ArticleFactory(body="<p>" + "政协" * 100 + "。</p>")
    assert long.summary == "政协" * 59 + "政…"
    assert len(long.summary) == 120
    assert ArticleFactory(body="", subtitle="——发言摘编").summary == "——发言摘编"
    assert ArticleFactory(body="", title="工作动态").summary == "工作动态"


def test_abstract_over_120_characters_is_cut_for_display():
    article = ArticleFactory(abstract="协" * 130)
    assert article.summary == "协" * 119 + "…"
