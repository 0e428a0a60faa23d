"""Search /search/?q=: Chinese words find the right articles, on SQLite and PostgreSQL.

The articles are built from paragraphs of the real 2020-4 issue
(fixtures/demo/jczx-2020-04.md), so jieba meets the text readers will search.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article
from issues.models import Visibility
from pagecache.cache import generation_for_reading
from search.fulltext import MAX_QUERY_LENGTH, highlight, parse_query, search_articles, snippet
from tests.factories import ArticleFactory, AuthorshipFactory, IssueFactory, PersonFactory
from workflow.models import Status

pytestmark = pytest.mark.django_db

CORPUS = Path(settings.BASE_DIR) / "fixtures" / "demo" / "jczx-2020-04.md"
_LINES = CORPUS.read_text(encoding="utf-8").splitlines()


def paragraph(opening: str) -> str:
    """The corpus line that starts with ``opening``, as a rich-text paragraph."""
    line = next(line for line in _LINES if line.startswith(opening))
    return f"<p>{line}</p>"


def body(*openings: str) -> str:
    return "".join(paragraph(opening) for opening in openings)


YAOCHA = "将我市建成山西省药茶产业高地的建议"
GUBAO = "发挥历史文化名镇优势 服务政协史料征集研究"
ZHUANMEN = "加强党的领导 发挥政协专门协商机构作用"
QIYEJIA = "激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展"
ZHAIBIAN = "不断谱写政协事业发展新篇章"
XIAOFEI = "多措并举重启消费回暖的建议"
XINGDONG = "新时代人民政协的行动指南"
JIANGHUA = "在市委政协工作会议上的讲话"
KANGYANG = "关于大力发展康养旅游的建议"  # 2021: 药茶 only in its body


@pytest.fixture
def people(db):
    return {
        name: PersonFactory(name=name)
        for name in ["李正根", "原红海", "胡晓刚", "刘佳义", "张志川", "刘娟"]
    }


@pytest.fixture
def issue_2020(db):
    return IssueFactory(year=2020, number=4, total_number=43)


@pytest.fixture
def corpus(columns, people, issue_2020):
    """Nine articles of 2020年第4期 and one of 2021年第1期, by title."""
    issue_2021 = IssueFactory(year=2021, number=1, total_number=44)

    def article(title, column, position, pages, text, **fields):
        return ArticleFactory(
            issue=fields.pop("issue", issue_2020),
            column=columns[column],
            toc_position=position,
            title=title,
            body=text,
            start_page=pages[0],
            end_page=pages[1],
            **fields,
        )

    articles = {
        QIYEJIA: article(
            QIYEJIA,
            "高层声音",
            1,
            (1, 3),
            body("习近平指出，市场主体是我国经济活动", "习近平强调，党中央明确提出"),
            kicker="习近平主持召开企业家座谈会强调",
            source="新华社",
        ),
        XINGDONG: article(
            XINGDONG, "学习论坛", 3, (7, 13), body("接着,习近平总书记指出:中国人民政治协商会议")
        ),
        JIANGHUA: article(JIANGHUA, "会议专题", 5, (18, 25), body("施意见》的贯彻落实")),
        ZHAIBIAN: article(
            ZHAIBIAN,
            "会议专题",
            8,
            (36, 37),
            body("近年来,高平市委坚持", "我们将认真贯彻此次会议精神"),
            subtitle="——市委政协工作会议发言摘编",
            editors_note=paragraph("**编者按:**").replace("**编者按:**", ""),
        ),
        ZHUANMEN: article(
            ZHUANMEN, "会议专题", 10, (39, 40), body("六届县政协以来", "二是强化规范")
        ),
        GUBAO: article(
            GUBAO,
            "会议专题",
            11,
            (41, 42),
            body("政协文史资料工作在地方历史文化研究中", "三是充实镇、村两级文化组织"),
        ),
        YAOCHA: article(
            YAOCHA,
            "社情民意",
            12,
            (44, 45),
            body(
                "泽州县政协主席李正根反映",
                "连翘、黄芩等都是我市的道地药材",
                "一、加大药茶产业政策支持力度",
            ),
        ),
        XIAOFEI: article(XIAOFEI, "社情民意", 13, (46, 46), body("四、鼓励家居消费行动")),
        KANGYANG: article(
            KANGYANG, "社情民意", 2, (30, 31), body("由农业农村局牵头"), issue=issue_2021
        ),
    }
    for title, name, byline_title, role in [
        (QIYEJIA, None, "", ""),
        (XINGDONG, "刘佳义", "", "作者"),
        (JIANGHUA, "张志川", "市委书记", "讲话"),
        (ZHAIBIAN, "胡晓刚", "高平市委书记", "发言"),
        (ZHUANMEN, "李正根", "泽州县政协党组书记、主席", "发言"),
        (GUBAO, "原红海", "阳城县润城镇党委书记", "发言"),
        (YAOCHA, "李正根", "泽州县政协主席", "反映"),
        (XIAOFEI, "刘娟", "信息中心主任", "反映"),
    ]:
        if name:
            AuthorshipFactory(
                article=articles[title], person=people[name], byline_title=byline_title, role=role
            )
    return articles


def results(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return titles_in(response)


def titles_in(response) -> list[str]:
    """The titles of the results, in page order: the first link of each
    <article class="search-result">, tags (the <mark>s) stripped."""
    html = response.content.decode()
    blocks = re.findall(r'<article class="search-result">(.*?)</article>', html, re.S)
    titles = []
    for block in blocks:
        link = re.search(r"<a [^>]*>(.*?)</a>", block, re.S)
        titles.append(re.sub(r"<[^>]+>", "", link.group(1)).strip())
    return titles


# --- Finding ---------------------------------------------------------------------------


def test_two_character_words_find_their_articles(client, corpus):
    assert results(client, q="药茶") == [YAOCHA, KANGYANG]
    assert results(client, q="古堡") == [GUBAO]
    found = results(client, q="政协")
    # Title holders first (any order among them: their rank depends on the body), then
    # the article whose byline and body hold 政协.
    assert set(found[:5]) == {GUBAO, ZHUANMEN, ZHAIBIAN, XINGDONG, JIANGHUA}
    assert found[5:] == [YAOCHA]


def test_title_match_ranks_above_a_newer_article_with_the_word_only_in_its_body(client, corpus):
    # 康养 (2021) is newer and says 药茶 twice in its body; the 2020 proposal has it in
    # the title: rank decides before date.
    assert Article.objects.get(title=KANGYANG).issue.year == 2021
    assert results(client, q="药茶") == [YAOCHA, KANGYANG]


def test_longer_words_and_words_jieba_cut_differently_in_the_text(client, corpus):
    found = results(client, q="人民政协")
    assert found[0] == XINGDONG  # in its title; the others in their body or 编者按
    assert set(found[1:]) == {ZHUANMEN, ZHAIBIAN, JIANGHUA}
    # jieba keeps 中国人民政治协商会议 whole: 政治协商 is found as a word nested in it.
    assert results(client, q="政治协商") == [XINGDONG]
    # 作出新的更大贡献 is cut 更/大: 更大 is found through its characters in sequence.
    assert set(results(client, q="更大")) == {QIYEJIA, JIANGHUA}


def test_words_typed_together_must_stand_together(client, corpus):
    # 推动新时代人民政协事业高质量发展 vs 开创新时代美丽晋城高质量转型发展新局面
    assert results(client, q="高质量发展") == [ZHAIBIAN]
    assert set(results(client, q="高质量 发展")) == {ZHAIBIAN, JIANGHUA}
    # 政协 stands where 人民政协 does: 把人民政协事业发展好 holds 政协事业.
    assert results(client, q="政协事业") == [ZHAIBIAN, JIANGHUA]  # in the title first


def test_several_words_must_all_be_present(client, corpus):
    assert results(client, q="药茶 品牌") == [YAOCHA, KANGYANG]
    assert results(client, q="药茶 李正根") == [YAOCHA]
    assert results(client, q="古堡 药茶") == []


def test_author_names_find_their_bylines(client, corpus):
    # the person first (people come before articles in 全部), then the bylines
    assert results(client, q="原红海") == ["原红海", GUBAO]
    assert set(results(client, q="李正根")) == {"李正根", YAOCHA, ZHUANMEN}
    assert results(client, q="李正根", kind="article") != [] and "李正根" not in results(
        client, q="李正根", kind="article"
    )
    assert results(client, q="高平市委书记") == [ZHAIBIAN]


def test_kicker_subtitle_and_editors_note_are_searched(client, corpus):
    assert results(client, q="座谈会") == [QIYEJIA]  # 引题 only
    assert results(client, q="摘编") == [ZHAIBIAN]  # 副标题 only
    assert results(client, q="王震") == [ZHAIBIAN]  # 编者按 only
    assert results(client, q="新华社") == [QIYEJIA]  # source


def test_latin_and_full_width_queries_fold_case_and_width(client, corpus):
    Article.objects.filter(title=XIAOFEI).update(body="<p>支持通信运营商建设5G消费体验中心。</p>")
    assert results(client, q="5G") == [XIAOFEI]
    assert results(client, q="５ｇ") == [XIAOFEI]


def titles_found(query: str) -> set[str]:
    return set(search_articles(Article.objects.all(), query).values_list("title", flat=True))


def test_a_phrase_of_three_words_needs_all_three_side_by_side():
    for title, text in [
        ("相邻", "坚持推动高质量发展"),
        ("隔开", "坚持推动高质量转型发展"),
        ("分两处", "坚持推动高质量，高质量发展"),  # both pairs, but not one after the other
    ]:
        ArticleFactory(title=title, body=f"<p>{text}</p>")
    assert titles_found("推动高质量发展") == {"相邻"}
    assert titles_found("高质量发展") == {"相邻", "分两处"}
    assert titles_found("推动高质量") == {"相邻", "隔开", "分两处"}


def test_a_word_nested_in_a_longer_one_pairs_with_its_neighbour():
    ArticleFactory(title="一", body="<p>加强人民政协工作</p>")
    ArticleFactory(title="二", body="<p>人民政协的工作</p>")
    assert titles_found("政协工作") == {"一"}  # 政协 stands where 人民政协 does
    assert titles_found("人民政协工作") == {"一"}
    assert titles_found("人民政协 工作") == {"一", "二"}


def test_a_phrase_in_a_headline_ranks_above_a_newer_one_in_the_body():
    in_title = ArticleFactory(
        issue=IssueFactory(year=2019, number=1), title="发展协商民主", body="<p>前言</p>"
    )
    in_body = ArticleFactory(
        issue=IssueFactory(year=2021, number=1), title="一", body="<p>发展协商民主</p>"
    )
    ranked = list(search_articles(Article.objects.all(), "协商民主").values_list("pk", flat=True))
    assert ranked == [in_title.pk, in_body.pk]


def test_phrases_are_looked_up_as_pairs_of_adjacent_words():
    # Two words: one lexeme, no phrase operator, so PostgreSQL never rereads the vector.
    assert parse_query("协商民主").tsquery_literal() == "('协商 民主')"
    assert parse_query("推动高质量发展").tsquery_literal() == "('推动 高质量' <-> '高质量 发展')"
    # A one-word piece, or its characters where jieba cut the document's word apart.
    assert parse_query("更大").tsquery_literal() == "(('更大') | ('更 大'))"
    assert parse_query("座谈会").tsquery_literal() == "(('座谈会') | ('座 谈' <-> '谈 会'))"
    assert parse_query("iso9001").tsquery_literal() == "('iso9001')"
    query = parse_query("更大 协商民主")
    assert query.tsquery_literal() == "(('更大') | ('更 大')) & ('协商 民主')"
    assert query.tsquery_literal("|") == "(('更大') | ('更 大')) | ('协商 民主')"


# --- Filters ---------------------------------------------------------------------------


def test_filters_narrow_by_year_column_and_author(client, corpus, people):
    assert results(client, q="药茶", year="2021") == [KANGYANG]
    assert results(client, q="药茶", year="2020") == [YAOCHA]
    assert set(results(client, q="政协", column="huiyizhuanti")) == {
        GUBAO,
        ZHUANMEN,
        ZHAIBIAN,
        JIANGHUA,
    }
    assert results(client, q="政协", column="sheqingminyi") == [YAOCHA]
    lizhenggen = people["李正根"].pk
    assert results(client, q="政协", author=lizhenggen) == [ZHUANMEN, YAOCHA]
    assert results(client, q="政协", author=lizhenggen, column="sheqingminyi") == [YAOCHA]


def test_filters_without_words_list_their_articles_newest_first(client, corpus, people):
    assert results(client, author=people["李正根"].pk) == [ZHUANMEN, YAOCHA]
    assert results(client, column="sheqingminyi") == [KANGYANG, YAOCHA, XIAOFEI]


def test_invalid_filter_values_are_reported_and_ignored(client, corpus):
    response = client.get("/search/", {"q": "古堡", "year": "1888", "author": "abc"})
    assert response.status_code == 200
    assert titles_in(response) == [GUBAO]
    html = response.content.decode()
    assert html.count('class="search-error"') == 2


def test_filter_choices_offer_only_what_the_reader_may_see(client, corpus, people):
    hidden = IssueFactory(year=2022, number=1, total_number=45, status=Status.DRAFT)
    secret = PersonFactory(name="未发布作者")
    AuthorshipFactory(article=ArticleFactory(issue=hidden), person=secret)
    html = client.get("/search/").content.decode()
    assert '<option value="2020">2020年</option>' in html
    assert "2022年" not in html
    assert "原红海" in html and "未发布作者" not in html
    response = client.get("/search/", {"author": secret.pk})
    assert titles_in(response) == []
    assert 'class="search-error"' in response.content.decode()


# --- Visibility ------------------------------------------------------------------------


@pytest.fixture
def hidden_yaocha(corpus, columns, issue_2020):
    """药茶 articles no anonymous reader may see, one per reason."""
    now = timezone.now()
    internal_issue = IssueFactory(
        year=2020, number=5, total_number=46, visibility=Visibility.INTERNAL
    )
    made = {
        "draft": ArticleFactory(
            issue=issue_2020, title="药茶产业调研（草稿）", status=Status.DRAFT
        ),
        "scheduled": ArticleFactory(
            issue=issue_2020,
            title="药茶品牌发布（定时）",
            published_at=now + datetime.timedelta(days=1),
        ),
        "withdrawn": ArticleFactory(
            issue=issue_2020, title="药茶标准（已撤回）", status=Status.WITHDRAWN
        ),
        "internal": ArticleFactory(issue=internal_issue, title="晋城药茶情况通报（内部）"),
        "draft_issue": ArticleFactory(
            issue=IssueFactory(year=2020, number=6, total_number=47, status=Status.REVIEW),
            title="药茶待审稿",
        ),
    }
    return made


def test_invisible_articles_never_appear(client, hidden_yaocha):
    assert results(client, q="药茶") == [YAOCHA, KANGYANG]
    assert results(client, q="药茶", year="2020") == [YAOCHA]


def test_signed_in_readers_also_find_internal_issues(client, hidden_yaocha, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="x" * 12))
    assert set(results(client, q="药茶")) == {YAOCHA, KANGYANG, "晋城药茶情况通报（内部）"}


# --- Display ---------------------------------------------------------------------------


def test_result_shows_issue_column_pages_authors_and_a_highlighted_snippet(client, corpus):
    response = client.get("/search/", {"q": "古堡"})
    html = response.content.decode()
    block = re.search(r'<article class="search-result">(.*?)</article>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)">(.*?)</a>', block, re.S)
    article = corpus[GUBAO]
    assert links == [
        (article.get_absolute_url(), GUBAO),
        ("/issues/2020/4/", "2020年第4期（总第43期）"),
        ("/columns/huiyizhuanti/", "会议专题"),
        (article.authorships.get().person.get_absolute_url(), "原红海"),
    ]
    assert "第41–42页" in block
    snippet_html = re.search(r'<p class="search-snippet">(.*?)</p>', block, re.S).group(1)
    assert "<mark>古堡</mark>" in snippet_html
    assert snippet_html.startswith("…") and len(re.sub(r"<[^>]+>", "", snippet_html)) <= 122
    assert "共找到 1 篇文章" in html


def test_snippet_marks_the_query_words(client, corpus):
    html = client.get("/search/", {"q": "政协"}).content.decode()
    snippets = re.findall(r'<p class="search-snippet">(.*?)</p>', html, re.S)
    assert len(snippets) == 6
    assert all("<mark>政协</mark>" in s for s in snippets)


def test_text_in_articles_and_queries_is_never_live_html(client, corpus):
    ArticleFactory(
        issue=corpus[YAOCHA].issue,
        title="关于<b>古堡</b>保护的建议",
        body="<p>沁河古堡群的说明牌写着 &lt;script&gt;alert(1)&lt;/script&gt; 应予更正。</p>",
    )
    html = client.get("/search/", {"q": "古堡 <script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the query, shown back
    assert "<b>" not in html and "关于&lt;b&gt;<mark>古堡</mark>&lt;/b&gt;保护的建议" in html


def test_highlight_escapes_everything_but_its_marks():
    pattern = parse_query("政协").highlight_pattern
    assert highlight('<img src=x onerror="1">政协&', pattern) == (
        "&lt;img src=x onerror=&quot;1&quot;&gt;<mark>政协</mark>&amp;"
    )
    assert highlight("人民政协", parse_query("人民政协").highlight_pattern) == (
        "<mark>人民政协</mark>"
    )


def test_snippet_is_cut_around_the_first_match():
    text = "甲" * 200 + "古堡" + "乙" * 200
    cut = snippet(text, parse_query("古堡").highlight_pattern, length=40)
    assert cut == "…" + "甲" * 10 + "<mark>古堡</mark>" + "乙" * 28 + "…"
    assert snippet("开头就说古堡", parse_query("古堡").highlight_pattern) == (
        "开头就说<mark>古堡</mark>"
    )
    assert snippet("没有命中", parse_query("古堡").highlight_pattern) == "没有命中"


# --- Robustness ------------------------------------------------------------------------


def test_query_parsing_cleans_and_caps_the_reader_input():
    query = parse_query("人民政协  高质量发展 ISO9001 人民政协")
    assert [(t.text, t.words) for t in query.terms] == [
        ("人民政协", ("人民政协",)),
        ("高质量发展", ("高质量", "发展")),
        ("iso9001", ("iso9001",)),
    ]
    assert not parse_query("  & | ! : * ( ) <-> ")
    assert [t.text for t in parse_query("政协\x00药茶").terms] == ["政协", "药茶"]
    long = parse_query("政协" * 600)
    assert long.truncated and len(long.text) == MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search/", 200),
        ("/search/?q=", 200),
        ("/search/?q=%20%20%09", 200),
        ("/search/?q=%00", 200),
        ("/search/?q=%E6%94%BF%00%E5%8D%8F", 200),
        ("/search/?q=%ff%fe", 200),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=abc", 404),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=0", 404),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=-1", 404),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=99999999999999999999", 404),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=%00", 404),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=1", 200),
        ("/search/?q=%E6%94%BF%E5%8D%8F&page=last", 200),
        ("/search/?year=abc", 200),
        ("/search/?year=%00", 200),
        ("/search/?column=%00", 200),
        ("/search/?column=no-such-column", 200),
        ("/search/?author=%00", 200),
        ("/search/?author=99999999999999999999999", 200),
        ("/search/?q=a&q=b&year=2020&year=x", 200),
    ],
)
def test_bad_urls_give_a_page_or_not_found_never_an_error(client, corpus, url, status):
    assert client.get(url).status_code == status


NASTY_QUERIES = [
    "' OR 1=1 --",
    "'; DROP TABLE articles_article; --",
    '" OR ""="',
    "& | ! : * ( ) <->",
    "政协 & !药茶",
    "政协:* | 古堡",
    "(政协 <-> 药茶)",
    "'政协':A",
    "\\",
    "%_%",
    "<script>alert(1)</script>",
    "😀",
    "😀政协🇨🇳",
    "\u200b\u202e政协",
    "政协" * 500,
    "古堡 " * 2000,
    "a" * 10_000,
]


@pytest.mark.parametrize("query", NASTY_QUERIES)
def test_nasty_queries_give_a_normal_page(client, corpus, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert Article.objects.count() == 9  # nothing dropped or changed


def test_sql_looking_queries_are_searched_as_words(client, corpus):
    assert results(client, q="' OR 1=1 --") == []
    assert results(client, q="政协:* | 古堡") == [GUBAO]  # words 政协 and 古堡; : * | ignored
    assert results(client, q="%_%") == []


def test_long_queries_are_cut_and_the_page_says_so(client, corpus):
    response = client.get("/search/", {"q": "古堡" + "。" * 300})
    html = response.content.decode()
    assert f"检索词过长，只用前{MAX_QUERY_LENGTH}个字进行了检索。" in html
    assert titles_in(response) == [GUBAO]
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in html


def test_empty_and_wordless_queries_explain_themselves(client, corpus):
    assert "请输入要检索的词语" in client.get("/search/").content.decode()
    assert "没有可检索的文字" in client.get("/search/", {"q": "？！……"}).content.decode()
    assert "没有找到相关内容" in client.get("/search/", {"q": "火星探测"}).content.decode()


# --- Pagination and queries ------------------------------------------------------------


def test_pagination_keeps_the_query_and_filters(client, columns):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    for n in range(25):
        ArticleFactory(issue=issue, column=columns["学习论坛"], title=f"政协履职第{n}篇")
    response = client.get("/search/", {"q": " 政协 ", "column": "xuexiluntan"})
    assert len(titles_in(response)) == 20
    html = response.content.decode()
    assert 'href="?q=%E6%94%BF%E5%8D%8F&amp;column=xuexiluntan&amp;page=2"' in html
    second = client.get("/search/", {"q": "政协", "column": "xuexiluntan", "page": 2})
    assert len(titles_in(second)) == 5


@pytest.mark.parametrize("count", [3, 25])
def test_search_page_runs_a_bounded_number_of_queries(
    client, columns, people, django_assert_max_num_queries, count
):
    issue = IssueFactory(year=2020, number=4, total_number=43)
    for n in range(count):
        article = ArticleFactory(issue=issue, column=columns["会议专题"], title=f"政协工作第{n}篇")
        AuthorshipFactory(article=article, person=people["李正根"])
        AuthorshipFactory(article=article, person=PersonFactory())
    # the matching ids (PostgreSQL: once, for count and page), count, page, bylines; the
    # year, column and author choices; the chosen column and author checked against them.
    # 9 for the search itself, 1 for the site header's column navigation, 1 for the
    # footer's 站点设置, 2 for the counts of the other kinds that may match words (工作动态
    # items, people; issues are counted only when the query names one), 2 for the memo
    # of matches on its first use in a content generation (the generation it is kept
    # under, and the 工作动态 items holding the words).
    generation_for_reading()  # this test's own uncommitted writes made visible first
    with django_assert_max_num_queries(15):
        response = client.get(
            "/search/",
            {"q": "政协", "column": "huiyizhuanti", "author": people["李正根"].pk, "year": 2020},
        )
    assert len(titles_in(response)) == min(count, 20)


def test_words_and_the_dictionary_words_nested_in_long_words():
    from search.fulltext import cut, nested_words

    words = cut("中国人民政治协商会议第一届全体会议")
    assert "中国人民政治协商会议" in words and "全体会议" in words
    assert {"人民", "政治协商", "协商会议", "政治"} <= set(nested_words("中国人民政治协商会议"))
    assert cut("作出新的更大贡献") == ["作出", "新", "的", "更", "大", "贡献"]
    assert cut("《古堡！古堡！》，ISO9001") == ["古堡", "古堡", "iso9001"]
