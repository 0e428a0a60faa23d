"""The search index stays current on every path into the database."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Authorship
from members.services import person_merge
from search.fulltext import search_articles
from tests.factories import ArticleFactory, AuthorshipFactory, IssueFactory, PersonFactory
from workflow.models import Status

pytestmark = pytest.mark.django_db


def found(query: str) -> list[str]:
    return list(search_articles(Article.objects.all(), query).values_list("title", flat=True))


def words_of(article) -> set[str]:
    return set(Article.objects.get(pk=article.pk).search_text.split())


def test_every_part_of_an_article_is_indexed():
    article = ArticleFactory(
        kicker="习近平主持召开企业家座谈会强调",
        title="激发市场主体活力弘扬企业家精神",
        subtitle="——市委政协工作会议发言摘编",
        toc_title="习近平：激发市场主体活力",
        source="新华社",
        editors_note="<p>市长王震主持会议。</p>",
        body="<p>连翘、黄芩等都是道地药材。</p>",
        author_note="作者系阳城县润城镇党委书记",
    )
    AuthorshipFactory(
        article=article, person=PersonFactory(name="李正根"), byline_title="泽州县政协主席"
    )
    assert {
        "座谈会",
        "企业家",
        "摘编",
        "新华社",
        "王震",
        "黄芩",
        "阳城县",
        "李正根",
        "泽州县",
        "政协",
    } <= words_of(article)


def test_saving_an_article_reindexes_it():
    article = ArticleFactory(title="关于大力发展康养旅游的建议")
    article.title = "将我市建成山西省药茶产业高地的建议"
    article.save()
    assert found("药茶") == [article.title]
    assert found("康养") == []


def test_saving_only_unindexed_fields_skips_the_index():
    article = ArticleFactory(title="药茶")
    article.status = Status.WITHDRAWN
    with CaptureQueriesContext(connection) as ctx:
        article.save(update_fields=["status"])
    assert not any("search_text" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        article.title = "古堡"
        article.save(update_fields=["title"])
    assert any("search_text" in q["sql"] for q in ctx.captured_queries)
    assert found("古堡") == ["古堡"]


def test_queryset_update_of_indexed_fields_reindexes_the_rows():
    first = ArticleFactory(title="康养旅游")
    second = ArticleFactory(issue=first.issue, title="康养产业")
    untouched = ArticleFactory(issue=first.issue, title="康养人才")
    Article.objects.filter(pk__in=[first.pk, second.pk]).update(body="<p>沁河古堡群申遗</p>")
    assert set(found("古堡")) == {"康养旅游", "康养产业"}
    Article.objects.filter(title__startswith="康养").update(title="药茶")
    assert len(found("药茶")) == 3 and found("康养") == []
    assert untouched.pk in search_articles(Article.objects.all(), "药茶").values_list(
        "pk", flat=True
    )


def test_bulk_create_and_bulk_update_index_the_articles():
    issue = IssueFactory()
    column = ArticleFactory(issue=issue).column
    made = Article.objects.bulk_create(
        [
            Article(
                issue=issue,
                column=column,
                toc_position=10 + n,
                title=f"古堡文化第{n}篇",
                start_page=1,
                end_page=1,
                status=Status.PUBLISHED,
            )
            for n in range(3)
        ]
    )
    assert len(found("古堡")) == 3
    for article in made:
        article.body = "<p>晋城药茶口碑</p>"
    Article.objects.bulk_update(made, ["body"])
    assert len(found("药茶")) == 3


def test_bylines_follow_every_change_of_authorship():
    article = ArticleFactory(title="加强党的领导")
    lee = PersonFactory(name="李正根")
    byline = AuthorshipFactory(article=article, person=lee)
    assert found("李正根") == ["加强党的领导"]

    Authorship.objects.filter(pk=byline.pk).update(byline_title="泽州县政协主席")
    assert found("泽州县") == ["加强党的领导"]

    article.authorships.all().delete()
    assert found("李正根") == []

    Authorship.objects.bulk_create([Authorship(article=article, person=lee)])
    assert found("李正根") == ["加强党的领导"]


def test_renaming_a_person_reindexes_their_bylines():
    person = PersonFactory(name="原宏海")
    AuthorshipFactory(article=ArticleFactory(title="发挥历史文化名镇优势"), person=person)
    person.name = "原红海"
    person.save()
    assert found("原红海") == ["发挥历史文化名镇优势"]
    assert found("原宏海") == []
    # Loaded fresh from the database, as the admin does.
    from members.models import Person

    again = Person.objects.get(pk=person.pk)
    again.name = "原红山"
    again.save()
    assert found("原红山") == ["发挥历史文化名镇优势"]


def test_merging_people_reindexes_the_moved_bylines():
    target = PersonFactory(name="姚逊")
    duplicate = PersonFactory(name="姚迅")  # a misprint, merged by an editor
    AuthorshipFactory(article=ArticleFactory(title="关于制定实施意见的说明"), person=duplicate)
    assert found("姚逊") == []
    person_merge(target=target, others=[duplicate])
    assert found("姚逊") == ["关于制定实施意见的说明"]


def test_reindex_search_command_rebuilds_a_raw_load():
    article = ArticleFactory(title="将我市建成山西省药茶产业高地的建议")
    # loaddata and raw SQL bypass save(): simulate with the plain base manager.
    Article._base_manager.filter(pk=article.pk).update(search_text="", search_vector=None)
    assert found("药茶") == []
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert out.getvalue().strip() == "已重建 1 篇文章的检索索引。"
    assert found("药茶") == [article.title]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="weights live in the tsvector")
def test_vector_weights_headlines_a_bylines_b_editors_note_c_body_d():
    article = ArticleFactory(
        title="药茶",
        editors_note="<p>古堡</p>",
        body="<p>连翘</p>",
    )
    AuthorshipFactory(article=article, person=PersonFactory(name="李正根"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM articles_article WHERE id = %s", [article.pk]
        )
        vector = cursor.fetchone()[0]
    assert re.search(r"'药茶':\d+A\b", vector)
    assert re.search(r"'李正根':\d+B\b", vector)
    assert re.search(r"'古堡':\d+C\b", vector)
    assert re.search(r"'连翘':\d+(\s|$)", vector)  # weight D is printed bare


def test_quotes_backslashes_and_long_runs_are_indexed_safely():
    article = ArticleFactory(
        title="It's a \\ 'quoted' \"title\"",
        body="<p>" + "x" * 5000 + " https://zx.jconline.cn/?a=1&b='2' 古堡</p>",
    )
    assert found("it's") == [article.title]
    assert found("古堡") == [article.title]
    assert found("x" * 5000) == []  # too long to be a word: not indexed, no error


def test_a_long_body_is_indexed_to_its_end():
    # More words than PostgreSQL has positions (16,383): the last ones still count.
    article = ArticleFactory(body="<p>" + "政协委员，" * 17000 + "太行古堡群</p>")
    assert found("古堡") == [article.title]
    assert found("政协委员") == [article.title]


def test_cutting_block_by_block_gives_jiebas_own_words():
    """search.fulltext cuts each run of characters once per process (a memo): the
    words must be exactly those jieba gives for the whole text."""
    from pathlib import Path

    import jieba

    from search import fulltext as search

    text = (Path(__file__).parents[2] / "fixtures/demo/jczx-2020-04.md").read_text()
    text += " ＧＤＰ增长3.5%，covid-19 C++ a&b 中国人民政治协商会议"
    search.clear_word_memos()
    whole = [
        w.strip()
        for w in jieba.cut(search._normalize(text))
        if w.strip() and len(w.strip()) <= search.MAX_WORD_LENGTH and re.search(r"\w", w)
    ]
    assert search.cut(text) == whole
    assert search.cut(text) == whole  # from the memo
    assert search.nested_words("中国人民政治协商会议")[:3] == ("中国", "国人", "人民")


def entries_of(literal: str) -> dict[str, str]:
    """A tsvector literal as {lexeme: positions}."""
    return {
        lexeme.replace("''", "'"): positions
        for lexeme, positions in re.findall(r"'((?:[^']|'')*)':(\S+)", literal)
    }


def test_vector_holds_adjacent_word_pairs_at_the_first_words_position_weight_d():
    from search.fulltext import tsvector_literal

    literal = tsvector_literal(
        {"A": ["人民政协", "工作"], "B": [], "C": [], "D": ["协商", "民主", "中国人民"]}
    )
    assert entries_of(literal) == {
        "人民政协": "1A",
        "人民": "1A,5D",
        "民政": "1A",
        "政协": "1A",
        "工作": "2A",
        "协商": "3D",
        "民主": "4D",
        "中国人民": "5D",
        "中国": "5D",
        "国人": "5D",
        # the word or a word it ends with, then the next word or a word it begins with
        "人民政协 工作": "1D",
        "政协 工作": "1D",  # 人民 and 民政 end nothing: 人民工作 is not in the text
        "工作 协商": "2D",  # across parts, as positions run
        "协商 民主": "3D",
        "民主 中国人民": "4D",
        "民主 中国": "4D",  # 中国人民 begins with 中国, not with 国人 or 人民
    }


def test_pairs_keep_the_limits_of_positions(monkeypatch):
    from search import fulltext as search

    monkeypatch.setattr(search, "MAX_POSITION", 3)
    words = {"D": ["甲", "乙", "丙", "丁", "戊"]}
    # 丁 and 戊 share the last position with 丙: no longer side by side.
    pairs = {k: v for k, v in entries_of(search.tsvector_literal(words)).items() if " " in k}
    assert pairs == {"甲 乙": "1D", "乙 丙": "2D"}
    monkeypatch.undo()
    monkeypatch.setattr(search, "MAX_POSITIONS_PER_WORD", 2)
    pairs = entries_of(search.tsvector_literal({"D": ["甲", "乙"] * 3}))
    assert (pairs["甲 乙"], pairs["乙 甲"]) == ("1D,3D", "2D,4D")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pairs live in the tsvector")
def test_a_two_word_phrase_is_one_lexeme_of_the_stored_vector():
    article = ArticleFactory(title="发展协商民主", body="<p>民主与协商</p>")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ %s::tsquery, search_vector @@ %s::tsquery "
            "FROM articles_article WHERE id = %s",
            ["'协商 民主'", "'民主 协商'", article.pk],
        )
        assert cursor.fetchone() == (True, False)
