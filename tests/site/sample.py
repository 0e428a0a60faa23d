"""A small magazine for the public-site tests: 2020年第4期 as printed (abridged), two
older issues, and what must never show to an anonymous reader — an internal (内部资料)
issue, a draft issue, a draft article, an article scheduled for tomorrow and a person
who only appears in the draft.

``build_sample_site()`` is also handy to fill a development database::

    DJANGO_DEBUG=1 .venv/bin/python manage.py shell -c \
        "from tests.site.sample import build_sample_site; build_sample_site()"
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from articles.models import Column
from issues.models import Visibility
from tests.factories import (
    ArticleFactory,
    AuthorshipFactory,
    HighlightFactory,
    IssueFactory,
    MastheadEntryFactory,
    NewsItemFactory,
    PersonFactory,
)
from workflow.models import Status

COLUMNS = [
    ("高层声音", "gaocengshengyin"),
    ("学习论坛", "xuexiluntan"),
    ("本期关注", "benqiguanzhu"),
    ("会议专题", "huiyizhuanti"),
    ("社情民意", "sheqingminyi"),
    ("工作动态", "gongzuodongtai"),
]

BODY = (
    "<p>人民政协是具有中国特色的制度安排，是社会主义协商民主的重要渠道和专门协商机构。"
    "新时代加强和改进人民政协工作，必须坚持党的领导、统一战线、协商民主有机结合。</p>"
    "<h2>一、提高政治站位</h2>"
    "<p>要坚持以习近平新时代中国特色社会主义思想为指导，把坚持党的全面领导贯穿政协工作全过程，"
    "围绕中心、服务大局，在建言资政和凝聚共识上双向发力。</p>"
    "<p>要发挥委员主体作用，深入调查研究，提出有分量、有价值的意见建议。</p>"
)


def standing_columns() -> dict[str, Column]:
    for position, (name, slug) in enumerate(COLUMNS, start=1):
        Column.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    return {c.name: c for c in Column.objects.filter(slug__in=[s for _, s in COLUMNS])}


def article(issue, column, position, title, start, end, **fields):
    fields.setdefault("body", BODY)
    return ArticleFactory(
        issue=issue,
        column=column,
        toc_position=position,
        title=title,
        start_page=start,
        end_page=end,
        **fields,
    )


def build_sample_site():
    now = timezone.now()
    col = standing_columns()
    people = {
        name: PersonFactory(name=name)
        for name in [
            "常国荣",
            "崔守安",
            "武四海",
            "和贵喜",
            "刘佳义",
            "张志川",
            "姚逊",
            "李正根",
            "胡晓刚",
            "郭向阳",
        ]
    }
    issue = IssueFactory(
        year=2020,
        number=4,
        total_number=43,
        pub_date=datetime.date(2020, 9, 1),
        address="山西省晋城市凤台西街289号",
        email="jczxbjb@126.com",
        phone="(0356)2198273",
        postcode="048000",
        website="http://zx.jconline.cn",
    )
    for position, (role, name) in enumerate(
        [("主任", "常国荣"), ("编委", "崔守安"), ("编委", "武四海"), ("主编", "和贵喜")]
    ):
        MastheadEntryFactory(issue=issue, role=role, person=people[name], position=position)

    a = SimpleNamespace()
    a.speech = article(
        issue,
        col["高层声音"],
        1,
        "激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展",
        1,
        3,
        kicker="习近平主持召开企业家座谈会强调",
        source="新华社",
        event_date=datetime.date(2020, 7, 21),
    )
    a.advice = article(
        issue,
        col["高层声音"],
        2,
        "着眼长远把握大势开门问策 集思广益研究新情况作出新规划",
        4,
        6,
        kicker="习近平主持召开经济社会领域专家座谈会强调",
        source="新华社",
    )
    a.forum = article(issue, col["学习论坛"], 3, "新时代人民政协的行动指南", 7, 13)
    AuthorshipFactory(article=a.forum, person=people["刘佳义"], byline_title="省政协副主席")
    a.plenary = article(issue, col["本期关注"], 4, "中共晋城市委七届九次全体会议召开", 14, 17)
    a.work_speech = article(
        issue,
        col["会议专题"],
        5,
        "在市委政协工作会议上的讲话",
        18,
        25,
        subtitle="2020年8月6日",
        editors_note="<p>8月6日，市委召开政协工作会议。现将讲话全文刊发，供学习参考。</p>",
        author_note="作者系中共晋城市委书记。",
    )
    AuthorshipFactory(
        article=a.work_speech, person=people["张志川"], byline_title="市委书记", role="讲话"
    )
    a.opinion = article(
        issue,
        col["会议专题"],
        6,
        "中共晋城市委关于新时代加强和改进人民政协工作的实施意见",
        26,
        32,
    )
    a.explain = article(
        issue,
        col["会议专题"],
        7,
        "关于制定《实施意见》的说明",
        33,
        35,
    )
    AuthorshipFactory(article=a.explain, person=people["姚逊"], byline_title="市委副书记")
    a.digest = article(
        issue,
        col["会议专题"],
        8,
        "高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章",
        36,
        43,
        subtitle="市委政协工作会议发言摘编",
    )
    AuthorshipFactory(
        article=a.digest,
        person=people["胡晓刚"],
        byline_title="高平市委书记",
        role="发言",
        position=1,
    )
    a.tea = article(
        issue,
        col["社情民意"],
        9,
        "将我市建成山西省药茶产业高地的建议",
        44,
        45,
        continuation_pages=[48],
        body="<p>连翘、黄芩等都是道地药材，药茶产业大有可为。</p>",
    )
    AuthorshipFactory(
        article=a.tea, person=people["李正根"], byline_title="泽州县政协主席", role="反映"
    )
    a.consume = article(issue, col["社情民意"], 10, "多措并举重启消费回暖的建议", 46, 46)
    a.tourism = article(issue, col["社情民意"], 11, "关于大力发展康养旅游的建议", 47, 47)
    a.news = article(issue, col["工作动态"], 12, "工作动态", 49, 52, body="")
    a.draft = article(issue, col["社情民意"], 13, "尚未审定的草稿文章", 53, 53, status=Status.DRAFT)
    a.scheduled = article(
        issue,
        col["社情民意"],
        14,
        "明天才发布的定时文章",
        54,
        54,
        published_at=now + datetime.timedelta(days=1),
    )
    draft_only = PersonFactory(name="草稿作者")
    AuthorshipFactory(article=a.draft, person=draft_only)

    HighlightFactory(
        issue=issue, article=a.speech, position=1, text="习近平:激发市场主体活力弘扬企业家精神"
    )
    HighlightFactory(
        issue=issue, article=a.work_speech, position=2, text="张志川在市委政协工作会议上的讲话"
    )
    HighlightFactory(issue=issue, article=a.draft, position=3, text="不应出现的草稿导读")

    items = SimpleNamespace()
    items.first = NewsItemFactory(
        issue=issue,
        article=a.news,
        date=datetime.date(2020, 7, 1),
        position=1,
        text="市政协主席常国荣带领部分政协委员深入民营企业调研。",
    )
    items.first.people.add(people["常国荣"])
    items.second = NewsItemFactory(
        issue=issue,
        article=a.news,
        date=datetime.date(2020, 8, 14),
        part_of_day="下午",
        position=2,
        text="市政协副主席郭向阳带领相关人员就小区创文问题进行督导。",
    )
    items.second.people.add(people["郭向阳"])

    older = IssueFactory(year=2020, number=3, total_number=42)
    a.older_forum = article(older, col["学习论坛"], 1, "坚持和完善人民政协制度", 5, 9)
    AuthorshipFactory(article=a.older_forum, person=people["刘佳义"], byline_title="省政协主席")
    article(older, col["社情民意"], 2, "关于加快数字政府建设的建议", 40, 41)
    NewsItemFactory(issue=older, date=datetime.date(2020, 5, 20), text="市政协召开主席会议。")

    oldest = IssueFactory(year=2019, number=6, total_number=36)
    article(oldest, col["高层声音"], 1, "在庆祝人民政协成立70周年大会上的讲话", 1, 8)

    internal = IssueFactory(year=2021, number=1, total_number=44, visibility=Visibility.INTERNAL)
    a.internal = article(internal, col["学习论坛"], 1, "内部资料中的学习文章", 3, 6)
    internal_only = PersonFactory(name="内部作者")
    AuthorshipFactory(article=a.internal, person=internal_only)
    NewsItemFactory(issue=internal, date=datetime.date(2021, 1, 5), text="内部资料中的工作动态。")

    draft_issue = IssueFactory(year=2021, number=2, total_number=45, status=Status.DRAFT)
    a.in_draft_issue = article(draft_issue, col["学习论坛"], 1, "草稿期刊里的文章", 1, 2)
    NewsItemFactory(issue=draft_issue, date=datetime.date(2021, 3, 1), text="草稿期刊里的动态。")

    return SimpleNamespace(
        issue=issue,
        older=older,
        oldest=oldest,
        internal=internal,
        draft_issue=draft_issue,
        articles=a,
        items=items,
        people=people,
        draft_only=draft_only,
        internal_only=internal_only,
        columns=col,
    )
