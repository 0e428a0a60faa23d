"""generate_corpus: a realistic archive made through the importer's own path."""

import io
import itertools
import re

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Authorship, Highlight, NewsItem
from issues.corpus import IssueMaker, Layout, generate_corpus, pools
from issues.importing.interchange import issue_export
from issues.models import Issue, MastheadEntry
from members.models import Person
from tests.planner import analyze_counts, analyzed_since, postgresql_only
from workflow.models import Status

pytestmark = pytest.mark.django_db

SMALL = {"articles_per_issue": 6, "news_per_issue": 8}


def exported(issue):
    document = issue_export(issue=issue)
    document["issue"].pop("url")
    for article in document["articles"]:
        article.pop("url")
    return document


def test_issues_are_laid_out_by_year_and_number_up_to_2019():
    layout = Layout(issues=200, per_year=6)
    assert layout.place(0) == (1986, 1, 1001)
    assert layout.place(5) == (1986, 6, 1006)
    assert layout.place(6) == (1987, 1, 1007)
    assert layout.place(199) == (2019, 2, 1200)
    assert layout.pub_date(2019, 2).isoformat() == "2019-04-25"


def test_a_generated_issue_is_saved_with_everything_an_import_writes():
    result = generate_corpus(issues=2, seed=3, **SMALL)
    assert (result.created, result.skipped) == (2, 0)
    assert (result.articles, result.news_items) == (12, 16)

    assert list(Issue.objects.order_by("total_number").values_list("year", "number")) == [
        (2019, 1),
        (2019, 2),
    ]
    issue = Issue.objects.get(number=2)
    assert issue.status == Status.PUBLISHED and issue.is_live
    assert issue.pub_date.isoformat() == "2019-04-25"
    assert issue.articles.count() == 6
    assert issue.news_items.count() == 8
    assert MastheadEntry.objects.filter(issue=issue).count() == 9
    assert Highlight.objects.filter(issue=issue).exists()
    # The 工作动态 entry is last and holds the dated items.
    news_entry = issue.articles.order_by("-toc_position").first()
    assert news_entry.column.name == "工作动态"
    assert set(issue.news_items.values_list("article", flat=True)) == {news_entry.pk}
    # Pages run on from one entry to the next, as in print.
    pages = list(issue.articles.order_by("toc_position").values_list("start_page", "end_page"))
    assert pages[0][0] == 1
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(pages))
    # Saved by the importer: history rows, sanitized body, search words.
    assert Article.history.filter(issue_id=issue.pk).count() == 6
    article = issue.articles.exclude(column__name="工作动态").order_by("toc_position").first()
    assert article.body.startswith("<p>") or article.body.startswith("<h3>")
    assert article.search_text and article.title.split()[0][:2] in article.search_text


def test_text_comes_from_2020_4_reshuffled():
    generate_corpus(issues=1, seed=1, **SMALL)
    source = pools()
    paragraphs = set(source.paragraphs)
    bodies = Article.objects.exclude(body="").values_list("body", flat=True)
    found = [
        re.sub(r"<[^>]+>", "", p) for body in bodies for p in re.findall(r"<p>(.*?)</p>", body)
    ]
    assert found and all(p in paragraphs for p in found)
    # Dated items carry the new issue's dates, not July and August 2020.
    item = NewsItem.objects.order_by("date").first()
    assert item.date.year == 2019
    assert item.text.startswith(f"{item.date.month}月{item.date.day}日")
    # People named in 工作动态 are this issue's 编委会, linked to the item.
    board = set(MastheadEntry.objects.values_list("person__name", flat=True))
    linked = set(NewsItem.people.through.objects.values_list("person__name", flat=True))
    assert linked and linked <= board


def test_the_same_seed_gives_the_same_archive():
    layout = Layout(issues=10)
    one = IssueMaker(seed=7, layout=layout, articles=8, news=5).document(4)
    two = IssueMaker(seed=7, layout=layout, articles=8, news=5).document(4)
    other = IssueMaker(seed=8, layout=layout, articles=8, news=5).document(4)
    assert one == two
    assert one["articles"] != other["articles"]
    assert (one["issue"]["year"], one["issue"]["number"]) == (2018, 5)


def test_issues_differ_from_each_other():
    maker = IssueMaker(seed=0, layout=Layout(issues=3), articles=10, news=5)
    titles = [[a["title"] for a in maker.document(k)["articles"]] for k in range(3)]
    assert titles[0] != titles[1] != titles[2]


def test_benchmark_sizes_give_25_articles_and_100_items_per_issue():
    document = IssueMaker(seed=0, layout=Layout(issues=200)).document(150)
    assert len(document["articles"]) == 25
    assert len(document["news_items"]) == 100
    columns = [a["column"] for a in document["articles"]]
    assert columns[-1] == "工作动态"
    assert columns == sorted(
        columns, key=["高层声音", "学习论坛", "本期关注", "会议专题", "社情民意", "工作动态"].index
    )
    assert 15_000 < sum(len(a["body"]) for a in document["articles"]) < 150_000


def test_a_second_run_adds_nothing_and_leaves_existing_issues_alone():
    generate_corpus(issues=2, seed=3, **SMALL)
    before = exported(Issue.objects.get(number=1))
    result = generate_corpus(issues=2, seed=4, **SMALL)
    assert (result.created, result.skipped) == (0, 2)
    assert exported(Issue.objects.get(number=1)) == before
    assert Authorship.objects.filter(article__issue__number=1).count() == len(
        [a for art in before["articles"] for a in art["authors"]]
    )


@postgresql_only
def test_the_generated_tables_are_analyzed_when_it_is_done():
    tables = (Issue, Article, Authorship, NewsItem, Highlight, MastheadEntry, Person)
    before = analyze_counts(*tables)
    generate_corpus(issues=2, seed=5, **SMALL)
    assert set(analyzed_since(before, *tables).values()) == {1}
    before = analyze_counts(*tables)
    generate_corpus(issues=2, seed=5, **SMALL)  # every issue skipped: nothing to analyze
    assert set(analyzed_since(before, *tables).values()) == {0}


def test_command(db):
    out = io.StringIO()
    call_command(
        "generate_corpus",
        "--issues=2",
        "--seed=2",
        "--articles-per-issue=4",
        "--news-per-issue=3",
        "--status=draft",
        stdout=out,
    )
    assert "已生成 2 期：文章 8 篇，工作动态 6 条" in out.getvalue()
    assert set(Issue.objects.values_list("status", flat=True)) == {Status.DRAFT}

    with pytest.raises(CommandError, match="--issues 至少为 1"):
        call_command("generate_corpus", "--issues=0", stdout=io.StringIO())
