"""Parsing the real digitized issue 2020年第4期 (总第43期): what an editor would check."""

import datetime as dt
import re

import pytest

from issues.importing.document import HEADING, PARAGRAPH, SPEAKER, SPEECH_HEADING
from issues.importing.text import norm

TOC = [
    ("高层声音", 1, "习近平：激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展"),
    ("高层声音", 4, "习近平：着眼长远把握大势开门问策 集思广益 研究新情况作出新规划"),
    ("学习论坛", 7, "新时代人民政协的行动指南"),
    ("本期关注", 14, "中共晋城市委七届九次全体会议召开"),
    ("会议专题", 18, "在市委政协工作会议上的讲话"),
    ("会议专题", 26, "中共晋城市委关于新时代加强和改进人民政协工作的实施意见"),
    (
        "会议专题",
        33,
        "关于制定《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》的说明",
    ),
    ("会议专题", 36, "高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章"),
    ("社情民意", 44, "将我市建成山西省药茶产业高地的建议"),
    ("社情民意", 46, "多措并举重启消费回暖的建议"),
    ("社情民意", 47, "关于大力发展康养旅游的建议"),
    ("工作动态", 49, "工作动态"),
]

TITLES = [
    "激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展",
    "着眼长远把握大势开门问策 集思广益 研究新情况作出新规划",
    "新时代人民政协的行动指南",
    "沿着习近平总书记指引的金光大道奋勇前进 解放思想先行先试狠抓落实 "
    "在新赛道上开创新时代美丽晋城高质量转型发展新局面",
    "在市委政协工作会议上的讲话",
    "中共晋城市委关于新时代加强和改进人民政协工作的实施意见",
    "关于制定《中共晋城市委关于新时代加强和改进人民政协工作的实施意见》的说明",
    "高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章",
    "将我市建成山西省药茶产业高地的建议",
    "多措并举重启消费回暖的建议",
    "关于大力发展康养旅游的建议",
    "工作动态",
]


def article(issue, page):
    (found,) = [a for a in issue.articles if a.start_page == page]
    return found


def test_issue_number(issue_2020_4):
    assert (issue_2020_4.year, issue_2020_4.number, issue_2020_4.total_number) == (2020, 4, 43)


def test_editorial_board(issue_2020_4):
    board = [(e.role, e.names) for e in issue_2020_4.editorial_board]
    assert board == [
        ("主任", ["常国荣"]),
        ("编委", ["崔守安", "武四海", "阴建正", "郭向阳", "焦新文"]),
        ("主编", ["和贵喜"]),
        ("副主编", ["许国胜", "何莉"]),
    ]


def test_contact_block(issue_2020_4):
    c = issue_2020_4.contact
    assert c.host == "政协晋城市委员会"
    assert c.address == "山西省晋城市凤台西街289号"
    assert c.email == "jczxbjb@126.com"
    assert c.phone == "(0356)2198273"
    assert c.postcode == "048000"
    assert c.website == "http://zx.jconline.cn"


def test_highlights_rejoined_in_order_and_matched(issue_2020_4):
    assert [(h.text, h.toc_position) for h in issue_2020_4.highlights] == [
        ("习近平:激发市场主体活力弘扬企业家精神 推动企业发挥更大作用实现更大发展", 1),
        ("习近平:着眼长远把握大势开门问策 集思广益 研究新情况作出新规划", 2),
        ("中共晋城市委七届九次全体会议召开", 4),
        ("张志川在市委政协工作会议上的讲话", 5),
        ("中共晋城市委关于新时代加强和改进人民政协工作的实施意见", 6),
    ]
    assert [a.start_page for a in issue_2020_4.articles if a.featured] == [1, 4, 14, 18, 26]


def test_toc_is_the_list_of_articles(issue_2020_4):
    assert [(a.column, a.start_page, a.toc_title) for a in issue_2020_4.articles] == TOC
    assert [a.toc_position for a in issue_2020_4.articles] == list(range(1, 13))
    assert all(a.found for a in issue_2020_4.articles)
    assert issue_2020_4.errors == []


def test_page_ranges(issue_2020_4):
    assert [(a.start_page, a.end_page) for a in issue_2020_4.articles] == [
        (1, 3), (4, 6), (7, 13), (14, 17), (18, 25), (26, 32), (33, 35), (36, 43),
        (44, 45), (46, 46), (47, 48), (49, 49),
    ]  # fmt: skip


def test_headlines(issue_2020_4):
    assert [a.title for a in issue_2020_4.articles] == TITLES


def test_kickers_for_the_xinhua_reports(issue_2020_4):
    assert article(issue_2020_4, 1).kicker == "习近平主持召开企业家座谈会强调"
    assert article(issue_2020_4, 4).kicker == "习近平主持召开经济社会领域专家座谈会强调"
    assert [a.source for a in issue_2020_4.articles[:2]] == ["新华社", "新华社"]
    assert article(issue_2020_4, 1).event_date == dt.date(2020, 7, 21)
    assert article(issue_2020_4, 4).event_date == dt.date(2020, 8, 24)


def test_toc_wording_under_a_different_headline_is_the_subtitle(issue_2020_4):
    plenum = article(issue_2020_4, 14)
    assert (
        plenum.subtitle == "中共晋城市委七届九次全体会议召开 市委常委会主持会议 市委书记张志川讲话"
    )
    assert (
        plenum.body[0].text
        == "中国共产党晋城市第七届委员会第九次全体会议，于2020年7月13日至14日在晋城举行。"
    )


def test_study_article_byline_subtitle_and_author_note(issue_2020_4):
    study = article(issue_2020_4, 7)
    assert study.subtitle == "学习《习近平谈治国理政》第三卷关于政协工作的论述"
    assert [(a.name, a.title, a.role) for a in study.authors] == [("刘佳义", "", "作者")]
    assert study.author_note == (
        "作者系全国政协文化文史和学习委员会副主任,"
        "习近平总书记关于加强和改进人民政协工作的重要思想北京研究基地特约研究员"
    )
    assert "作者系" not in study.body[-1].text
    assert study.body[0].text.startswith("人民政协制度经历了创立探索")


def test_speech_byline_and_date(issue_2020_4):
    speech = article(issue_2020_4, 18)
    assert [(a.name, a.title) for a in speech.authors] == [("张志川", "")]
    assert speech.event_date == dt.date(2020, 7, 14)
    assert tuple(speech.body[0]) == (PARAGRAPH, "同志们：")


def test_spaced_name_and_byline_title(issue_2020_4):
    note = article(issue_2020_4, 33)
    assert [(a.name, a.title, a.role) for a in note.authors] == [("姚逊", "市委副书记", "作者")]
    assert note.event_date == dt.date(2020, 7, 14)


def test_numbered_headings_are_headings_only_where_printed_alone(issue_2020_4):
    speech = article(issue_2020_4, 18)
    assert [b.text for b in speech.body if b.kind == HEADING] == [
        "一、提高政治站位，切实增强做好新时代政协工作的责任感和使命感",
        "二、推进协商民主，充分发挥人民政协专门协商机构作用",
        "三、突出中心环节,更加有效地加强思想政治引领、广泛凝聚共识",
        "四、强化责任担当,更好发挥委员在政协工作中的主体作用",
        "五、加强党的领导，努力营造有利于政协开展工作的良好环境",
    ]
    # `## **二要…。**` is a Markdown heading in the file but a paragraph in print.
    assert (PARAGRAPH, "二要进一步加大民主监督力度。") in [tuple(b) for b in speech.body]
    opinion = article(issue_2020_4, 26)
    assert [b.text for b in opinion.body if b.kind == HEADING] == [
        "一、总体要求",
        "二、推进协商民主,发挥人民政协专门协商机构作用",
        "三、加强思想政治引领,广泛凝聚人心和力量",
        "四、健全工作机制，加强政协制度体系建设",
        "五、强化政协委员责任担当，展现新时代政协委员新风采",
        "六、加强党的全面领导,确保政协工作正确政治方向",
    ]
    health = article(issue_2020_4, 47)
    assert [b.text for b in health.body if b.kind == HEADING] == [
        "一、实行差异化发展，打造融合产品。",
        "二、鼓励合作联姻，发展智慧康养。",
        "三、挖掘康养潜力，打造康养产品。",
        "四、创新机制，培养引进康养人才。",
    ]
    # In the 药茶 item the numbers run into the text, so 二、… is a paragraph.
    tea = article(issue_2020_4, 44)
    assert not [b for b in tea.body if b.kind == HEADING]


def test_headline_split_over_the_spread(issue_2020_4):
    digest = article(issue_2020_4, 36)
    assert digest.title == "高举伟大旗帜 加强党的领导 不断谱写政协事业发展新篇章"
    assert digest.subtitle == "市委政协工作会议发言摘编"
    assert digest.toc_subtitle == "市委政协工作会议发言摘编"
    assert digest.editors_note.startswith("2020年7月14日下午,市委政协工作会议召开。")
    assert digest.editors_note.endswith("以相互借鉴,促进工作。")
    texts = [b.text for b in digest.body]
    assert "不断谱写政协事业发展新篇章" not in texts
    assert not any("市委政协工作会议发言摘编" in t for t in texts)
    assert (
        "二、健全工作机制,搭建履职平台。落实领导包联。市党政领导班子成员分工联系政协，"
        in "".join(texts)
    )


def test_speech_digest_is_one_article_with_four_speakers(issue_2020_4):
    digest = article(issue_2020_4, 36)
    assert [(a.name, a.title, a.role) for a in digest.authors] == [
        ("胡晓刚", "高平市委书记", "发言"),
        ("李志忠", "市教育局党组书记、局长", "发言"),
        ("李正根", "泽州县政协党组书记、主席", "发言"),
        ("原红海", "阳城县润城镇党委书记", "发言"),
    ]
    heads = [(b.kind, b.text) for b in digest.body if b.kind in (SPEECH_HEADING, SPEAKER)]
    assert heads == [
        (SPEECH_HEADING, "加强党的领导 强化履职保障 推动新时代政协工作提质增效"),
        (SPEAKER, "高平市委书记 胡晓刚"),
        (SPEECH_HEADING, "主动接受政协民主监督 凝聚教育改革发展共识"),
        (SPEAKER, "市教育局党组书记、局长 李志忠"),
        (SPEECH_HEADING, "加强党的领导 发挥政协专门协商机构作用"),
        (SPEAKER, "泽州县政协党组书记、主席 李正根"),
        (SPEECH_HEADING, "发挥历史文化名镇优势 服务政协史料征集研究"),
        (SPEAKER, "阳城县润城镇党委书记 原红海"),
    ]
    assert digest.body[0].kind == SPEECH_HEADING


def test_social_opinion_contributors(issue_2020_4):
    people = {
        a.start_page: [(x.name, x.title, x.role) for x in a.authors]
        for a in issue_2020_4.articles
        if a.column == "社情民意"
    }
    assert people == {
        44: [("李正根", "泽州县政协主席", "反映")],
        46: [
            ("刘娟", "晋城市城区政协常委、信息中心主任、民进晋城市委参政议政部副部长", "反映"),
            ("韩晋涛", "城区政协常委、城区融媒体中心专题部主任", "反映"),
        ],
        47: [
            ("王艳芳", "泽州县政协常委、民盟晋城市委会、泽州县旅游开发服务中心", "反映"),
        ],
    }


def test_item_without_heading_starts_with_its_contributor(issue_2020_4):
    health = article(issue_2020_4, 47)
    assert health.found
    assert health.body[0].text.startswith(
        "泽州县政协常委、民盟晋城市委会、泽州县旅游开发服务中心王艳芳反映：康养旅游是旅游经济发展的新业态。"
    )
    # …and the item before it ends where its own text ends (下转45页).
    spending = article(issue_2020_4, 46)
    assert "王艳芳" not in spending.full_text()


def test_continued_parts_move_to_the_end_of_their_article(issue_2020_4):
    opinion, note, spending = (article(issue_2020_4, p) for p in (26, 33, 46))
    assert opinion.continuation_pages == [43]
    assert note.continuation_pages == [17]
    assert spending.continuation_pages == [45]
    assert opinion.body[-1].text == (
        "(二十八)进一步形成加强和改进人民政协工作的合力。纪检监察机关和组织、宣传、统战、编制等部门,"
        "要在政协党的建设、委员队伍建设、干部队伍建设、新闻宣传、机构编制等方面提供支持和保障。"
        "完善委员产生机制,真正把代表性强、议政水平高、群众认可、德才兼备的优秀人士吸收到委员队伍中来。"
        "党委成立政协换届领导小组应有政协党组有关同志参加,党委有关部门在换届研究界别设置,委员、常务委员"
        "及专门委员会主任、副主任名额和人选,以及委员调整等有关问题时,要听取政协党组意见。"
        "政府及有关部门要密切同政协及其专门委员会的沟通协作,积极参加政协协商活动,并在专题调研、视察考察、"
        "提案办理、知情明政、履职成果转化等方面提供支持和帮助。把人民政协理论纳入党校(行政学院)、"
        "社会主义学院等的教学内容。政协委员所在单位要支持其参加政协会议、培训和调研、视察、考察等活动,"
        "在时间、经费、工作条件等方面给予必要保障,保证其各项待遇不因参加政协活动而受到影响。"
        "加强政协和委员履职活动、履职成果的宣传,努力营造全社会支持人民政协工作的良好氛围。"
    )
    assert note.body[-2].text.endswith(
        "以党的政治建设为统领,全面推进政协系统党的建设,进一步形成加强和改进政协工作的合力。"
    )
    assert note.body[-1].text == (
        "以上就是对《实施意见》的简要说明,希望全市各级各部门全力抓好《实施意见》的贯彻落实,"
        "进一步把人民政协制度坚持好、把人民政协事业发展好,"
        "为在新赛道上开创新时代美丽晋城高质量转型发展新局面作出新的更大贡献!"
    )
    assert spending.body[-3].text.startswith("三、升级信息消费行动。")
    assert "鼓励通信运营商建设5G消费体验中心," in spending.body[-3].text
    assert spending.body[-1].text.startswith("五、促进汽车消费升级行动。")
    # Nothing of the continued parts is left where they were printed.
    plenum, digest, tea = (article(issue_2020_4, p) for p in (14, 36, 44))
    assert plenum.body[-1].text.startswith("全会号召")
    assert "优秀人士吸收到委员队伍中来" not in digest.full_text()
    assert "运营商建设5G消费体验中心" not in tea.full_text()


def test_no_continuation_marks_or_markup_left(issue_2020_4):
    for a in issue_2020_4.articles:
        text = a.full_text()
        assert not re.search(r"[上下]?[接转]\d+页", text), a.title
        assert "**" not in text and "#" not in text and "---" not in text
        assert "DUO CUO" not in text and "内部资料" not in text


CUT_SENTENCES = [
    (1, "争取全年经济发展好成绩。"),
    (1, "实施好民法典和相关法律法规"),
    (1, "党委书记陈宗年，中国中化集团有限公司董事长"),
    (1, "主动为国担当、为国分忧，带领企业奋力拼搏、力争一流"),
    (1, "更好利用国际国内两个市场、两种资源"),
    (4, "国家发展改革委宏观经济研究院院长王昌林"),
    (4, "国际经济、科技、文化、安全、政治等格局都在发生深刻调整"),
    (4, "而是开放的国内国际双循环。我国在世界经济中的地位将持续上升"),
    (4, "要坚持和完善社会主义基本经济制度"),
    (4, "理论源于实践，又用来指导实践。"),
    (7, "暨庆祝中国人民政治协商会议成立70周年大会上的讲话。"),
    (7, "同中国实际相结合的伟大成果,是中国共产党领导各民主党派"),
    (14, "化压力为动力,变挑战为机遇"),
    (14, "抢占创新制高点,全力打造一流创新生态小气候"),
    (18, "表示衷心的感谢，致以崇高的敬意！"),
    (18, "人心是最大的政治,共识是奋进的动力。"),
    (18, "政协委员是人民政协工作的主体。政协委员作为各党派团体"),
    (26, "(二十六)加强政协系统党的建设。认真贯彻新时代党的建设总要求"),
    (26, "领导小组成员单位,党委统战部部长兼任同级政协党组副书记。"),
    (26, "(二十三)加强委员履职业务管理理。政协组织要把引导委员强化责任担当作为政治任务"),
    (33, "全力抓好《实施意见》的贯彻落实"),
    (33, "以党的政治建设为统领,全面推进政协系统党的建设,进一步形成加强和改进政协工作的合力。"),
    (36, "二、主动接受民主监督,努力推动事业发展。针对政协专题议政会议"),
    (36, "大家集思广益、倾尽家珍"),
    (46, "新冠肺炎疫情对餐饮、娱乐、旅游、批零等领域消费带来较大冲击"),
    (46, "积极推進5G消费，鼓励通信运营商建设5G消费体验中心"),
    (47, "同时应将更多的康养元素植入我市成熟景区其他业态的旅游产品中，打造复合型、多维度、多业态"),
    (47, "然而，医疗又是康养旅游全产业链上的重要环节。"),
    (47, "楼阳生书记参加晋城代表团讨论时指出，“晋城可以搞一个全国性的康养大会，"),
]


@pytest.mark.parametrize(("page", "sentence"), CUT_SENTENCES)
def test_sentences_cut_by_page_breaks_read_whole(issue_2020_4, page, sentence):
    holders = [a.start_page for a in issue_2020_4.articles if sentence in a.full_text()]
    assert holders == [page]
    # …and inside one body block, not split over two.
    assert any(sentence in b.text for b in article(issue_2020_4, page).body)


def test_news_items(issue_2020_4):
    news = issue_2020_4.news_items
    assert len(news) == 35
    assert article(issue_2020_4, 49).holds_news
    assert article(issue_2020_4, 49).body == []
    assert (news[0].date, news[0].part_of_day) == (dt.date(2020, 7, 1), "上午")
    assert news[0].text.startswith("7月1日上午，市政协副主席武四海带领部分政协委员")
    assert news[-1].date == dt.date(2020, 8, 31)
    assert not any(n.text.startswith("★") for n in news)
    ranges = [(n.date, n.end_date) for n in news if n.end_date]
    assert ranges == [
        (dt.date(2020, 7, 29), dt.date(2020, 7, 31)),
        (dt.date(2020, 8, 5), dt.date(2020, 8, 6)),
        (dt.date(2020, 8, 17), dt.date(2020, 8, 21)),
        (dt.date(2020, 8, 20), dt.date(2020, 8, 21)),
    ]
    parts = [n.part_of_day for n in news]
    assert (parts.count("上午"), parts.count("下午"), parts.count("")) == (11, 11, 13)


@pytest.mark.parametrize(
    ("start", "whole"),
    [
        ("8月11日上午", "晋城市创建全国文明城市“四个专项整治行动”安排部署会议召开"),
        ("8月17日，", "市长王震带队赴省城太原，向省政协主席李佳专题汇报"),
        ("7月14日下午", "市人大常委会主任范丽霞，市政协主席常国荣出席会议。"),
        ("7月29日至31日", "省政府副秘书长丁纪岗，省文旅厅副厅长李贵"),
        ("8月27日，市政协副主席武四海先后", "市政协副主席武四海先后深入到开发区晋城弘博"),
    ],
)
def test_news_items_cut_by_a_page_break_are_whole(issue_2020_4, start, whole):
    (item,) = [n for n in issue_2020_4.news_items if n.text.startswith(start)]
    assert whole in item.text


def test_every_line_belongs_to_exactly_one_place(issue_2020_4, corpus_text):
    owners: dict[int, list[str]] = {}
    for a in issue_2020_4.articles:
        for no in a.lines:
            owners.setdefault(no, []).append(f"article {a.toc_position}")
    for k, item in enumerate(issue_2020_4.news_items):
        for no in item.lines:
            owners.setdefault(no, []).append(f"news {k}")
    for no in issue_2020_4.front_matter_lines:
        owners.setdefault(no, []).append("front matter")
    for no in issue_2020_4.furniture_lines:
        owners.setdefault(no, []).append("furniture")
    lines = corpus_text.split("\n")
    wrong = {
        no: owners.get(no)
        for no, line in enumerate(lines, start=1)
        if line.strip() and len(owners.get(no, [])) != 1
    }
    assert wrong == {}
    assert not set(owners) - {no for no, line in enumerate(lines, 1) if line.strip()}


def _owned_text(issue):
    out = {}
    for a in issue.articles:
        text = a.full_text()
        if a.event_date:
            d = a.event_date
            text += f"{d.year}年{d.month}月{d.day}日"
        out.update(dict.fromkeys(a.lines, norm(text)))
    for item in issue.news_items:
        out.update(dict.fromkeys(item.lines, norm(item.text)))
    return out


def _source_norm(line: str) -> str:
    return norm(re.sub(r"[(（][上下]?[接转]\d+页[)）]|编者按|^#+|\*\*", "", line))


def test_every_article_line_reads_in_its_owner(issue_2020_4, corpus_text):
    """The text of each source line (without marks and markup) is in what owns it."""
    owned = _owned_text(issue_2020_4)
    lines = corpus_text.split("\n")
    missing = []
    for no, text in owned.items():
        if _source_norm(lines[no - 1]) not in text:
            missing.append((no, lines[no - 1]))
    assert missing == []


def test_long_lines_are_in_no_other_article(issue_2020_4, corpus_text):
    """A source line's text turns up only in the articles whose own source has it."""
    lines = corpus_text.split("\n")
    holders = {a.toc_position: norm(a.full_text()) for a in issue_2020_4.articles}
    source = {
        a.toc_position: "|".join(_source_norm(lines[no - 1]) for no in a.lines)
        for a in issue_2020_4.articles
    }
    for a in issue_2020_4.articles:
        for no in a.lines:
            line = _source_norm(lines[no - 1])
            if len(line) >= 30:
                found = {k for k, text in holders.items() if line in text}
                expected = {k for k, text in source.items() if line in text}
                assert found == expected, (no, lines[no - 1])
