"""The home page, 往期回顾, an issue's 目录 and "go to page N"."""

import pytest
from django.core.files.base import ContentFile

from tests.site.html import attr, hrefs, parse, select, select_one, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample(sample_site):
    """Shared by the module's tests (tests/conftest.py): the home page without any
    issue is in test_home_empty.py."""
    return sample_site


@pytest.fixture
def reader(client, django_user_model):
    """A signed-in reader (not staff): may read internal (内部资料) issues."""
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    return client


# --- Home ---------------------------------------------------------------------------


def test_home_shows_the_latest_public_issue_with_its_highlights(client, sample):
    page = parse(client.get("/"))
    current = select_one(page, "section", "current-issue")
    assert text(select_one(current, "h2")) == "2020年第4期·总第43期"
    assert "/issues/2020/4/" in hrefs(current)
    highlights = select_one(current, "ul", "highlights")
    assert [text(li) for li in select(highlights, "li")] == [
        "习近平:激发市场主体活力弘扬企业家精神",
        "张志川在市委政协工作会议上的讲话",
    ]  # the draft article's 导读 line is left out
    assert hrefs(highlights) == ["/issues/2020/4/articles/1/", "/issues/2020/4/articles/5/"]


def test_home_lists_latest_articles_per_column_and_news(client, sample):
    page = parse(client.get("/"))
    blocks = {
        text(select_one(block, "h3")): [text(a) for a in select(block, "li")]
        for block in select(page, "section", "column-block")
    }
    assert list(blocks) == ["高层声音", "学习论坛", "本期关注", "会议专题", "社情民意", "工作动态"]
    assert len(blocks["高层声音"]) == 3  # at most three per column, newest issue first
    assert blocks["学习论坛"][0].startswith("新时代人民政协的行动指南")
    assert blocks["学习论坛"][1].startswith("坚持和完善人民政协制度")
    assert blocks["社情民意"][0].startswith("将我市建成山西省药茶产业高地的建议")
    news = select_one(page, "section", "home-news")
    assert [text(t) for t in select(news, "time")] == ["8月14日下午", "7月1日上午", "5月20日上午"]


def test_home_for_a_signed_in_reader_leads_with_the_internal_issue(reader, sample):
    page = parse(reader.get("/"))
    current = select_one(page, "section", "current-issue")
    assert text(select_one(current, "h2")) == "2021年第1期·总第44期"
    assert "内部资料" in text(current)


# --- 往期回顾 -----------------------------------------------------------------------


def test_archive_groups_visible_issues_by_year(client, sample):
    page = parse(client.get("/issues/"))
    groups = {
        text(select_one(section, "h2")): [
            text(select_one(card, "span", "issue-card-label")) for card in select(section, "li")
        ]
        for section in select(page, "section", "year-group")
    }
    assert groups == {"2020年": ["第4期", "第3期"], "2019年": ["第6期"]}
    assert hrefs(select_one(page, "nav", "year-index")) == ["#year-2020", "#year-2019"]


def test_archive_for_a_signed_in_reader_includes_internal_issues(reader, sample):
    page = parse(reader.get("/issues/"))
    years = [text(select_one(s, "h2")) for s in select(page, "section", "year-group")]
    assert years == ["2021年", "2020年", "2019年"]  # the draft 2021年第2期 stays hidden


# --- Issue page ---------------------------------------------------------------------


def test_issue_page_toc_is_grouped_by_column_in_print_order(client, sample):
    page = parse(client.get("/issues/2020/4/"))
    toc = select_one(page, "section", "toc")
    sections = [
        (
            text(select_one(section, "h3")),
            [
                (
                    text(select_one(entry, "span", "toc-page")),
                    text(select_one(entry, "a", "toc-title")),
                    text(select(entry, "span", "toc-authors")[0])
                    if select(entry, "span", "toc-authors")
                    else "",
                )
                for entry in select(section, "li", "toc-entry")
            ],
        )
        for section in select(toc, "section", "toc-section")
    ]
    assert [name for name, _ in sections] == [
        "高层声音",
        "学习论坛",
        "本期关注",
        "会议专题",
        "社情民意",
        "工作动态",
    ]
    meetings = dict(sections)["会议专题"]
    assert meetings == [
        ("第18页", "在市委政协工作会议上的讲话", "张志川"),
        ("第26页", "中共晋城市委关于新时代加强和改进人民政协工作的实施意见", ""),
        ("第33页", "关于制定《实施意见》的说明", "姚逊"),
        ("第36页", "高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章", "胡晓刚"),
    ]
    # Drafts and scheduled articles are not in the 目录.
    assert [title for _, title, _ in dict(sections)["社情民意"]] == [
        "将我市建成山西省药茶产业高地的建议",
        "多措并举重启消费回暖的建议",
        "关于大力发展康养旅游的建议",
    ]


def test_issue_page_shows_masthead_and_contact_block(client, sample):
    page = parse(client.get("/issues/2020/4/"))
    masthead = select_one(page, "dl", "masthead-list")
    roles = [text(dt) for dt in select(masthead, "dt")]
    names = [[text(a) for a in select(dd, "a")] for dd in select(masthead, "dd")]
    assert list(zip(roles, names, strict=True)) == [
        ("主任", ["常国荣"]),
        ("编委", ["崔守安", "武四海"]),
        ("主编", ["和贵喜"]),
    ]
    assert hrefs(masthead)[0] == sample.people["常国荣"].get_absolute_url()
    contact = select_one(page, "dl", "contact-list")
    assert dict(
        zip(
            [text(dt) for dt in select(contact, "dt")],
            [text(dd) for dd in select(contact, "dd")],
            strict=True,
        )
    ) == {
        "主办": "政协晋城市委员会",
        "地址": "山西省晋城市凤台西街289号",
        "邮编": "048000",
        "电话": "(0356)2198273",
        "电子信箱": "jczxbjb@126.com",
        "网站": "http://zx.jconline.cn",
    }


def test_issue_page_offers_the_pdf_only_when_attached(client, sample):
    assert "下载本期PDF" not in client.get("/issues/2020/4/").content.decode()
    sample.issue.pdf.save("jczx-2020-04.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    page = parse(client.get("/issues/2020/4/"))
    link = next(a for a in select(page, "a") if text(a).startswith("下载本期PDF"))
    assert attr(link, "href").startswith("/media/pdf/")
    assert attr(link, "href").endswith(".pdf")


def test_internal_issue_is_404_for_anonymous_and_200_for_signed_in(client, reader, sample):
    from django.test import Client

    assert Client().get("/issues/2021/1/").status_code == 404
    assert Client().get("/issues/2021/1/articles/1/").status_code == 404
    response = reader.get("/issues/2021/1/")
    assert response.status_code == 200
    assert "内部资料中的学习文章" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/issues/2021/2/",  # a draft issue
        "/issues/2020/9/",  # no such issue
        "/issues/2020/-4/",
        "/issues/99999999999999999999/4/",
        "/issues/2020/99999999999999999999/",
        "/issues/2020/4/page/99999999999999999999/",
        "/issues/2020/4/page/-1/",
        "/issues/2020/4/articles/99999999999999999999/",
    ],
)
def test_unknown_or_hidden_issue_addresses_are_404(client, sample, url):
    assert client.get(url).status_code == 404


# --- Go to page N -------------------------------------------------------------------


def test_page_redirects_to_the_article_printed_on_it(client, sample):
    response = client.get("/issues/2020/4/page/20/")
    assert response.status_code == 302
    assert response["Location"] == "/issues/2020/4/articles/5/"  # 第18–25页
    assert client.get("/issues/2020/4/page/18/")["Location"] == "/issues/2020/4/articles/5/"
    assert client.get("/issues/2020/4/page/25/")["Location"] == "/issues/2020/4/articles/5/"
    assert client.get("/issues/2020/4/page/1/")["Location"] == "/issues/2020/4/articles/1/"


def test_page_redirects_to_a_continuation(client, sample):
    # 药茶 is printed on 44–45 and continues (下转) on page 48.
    assert client.get("/issues/2020/4/page/48/")["Location"] == "/issues/2020/4/articles/9/"


def test_page_no_visible_article_covers_is_404(client, sample):
    assert client.get("/issues/2020/4/page/53/").status_code == 404  # only a draft there
    assert client.get("/issues/2020/4/page/54/").status_code == 404  # scheduled for tomorrow
    assert client.get("/issues/2020/4/page/200/").status_code == 404


def test_page_form_redirects_to_the_page_address(client, sample):
    response = client.get("/issues/2020/4/page/", {"page": "20"})
    assert response["Location"] == "/issues/2020/4/page/20/"
    assert client.get("/issues/2020/4/page/", {"page": "二十"}).status_code == 404
    assert client.get("/issues/2020/4/page/", {"page": ""}).status_code == 404
