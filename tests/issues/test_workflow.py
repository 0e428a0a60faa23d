"""An issue's way through the workflow: publishing with its articles, the check that
blocks it, scheduling, withdrawal, the commands, the dashboard, the preview — and one
issue from draft to scheduled publication with every step recorded."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from issues.models import Issue
from issues.services import issue_publish, issue_submit, issue_withdraw
from tests.factories import ArticleFactory, IssueFactory, MastheadEntryFactory
from tests.forms import form_data
from tests.review import sign_all
from workflow.models import Status
from workflow.transitions import PublicationBlocked, TransitionNotAllowed

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def ready_issue(status=Status.REVIEW, *, signed=True, **kwargs):
    """2020年第4期 in review, complete: three entries, a 编委会; in review, every stage
    signed unless ``signed=False``."""
    issue = IssueFactory(
        year=2020, number=4, total_number=43, status=status, published_at=None, **kwargs
    )
    for position, (title, start, end) in enumerate(
        [("在市委政协工作会议上的讲话", 18, 25), ("实施意见", 26, 32), ("说明", 33, 35)],
        start=1,
    ):
        ArticleFactory(
            issue=issue,
            toc_position=position,
            title=title,
            start_page=start,
            end_page=end,
            status=Status.REVIEW,
            published_at=None,
        )
    MastheadEntryFactory(issue=issue, role="主编")
    if status == Status.REVIEW and signed:
        sign_all(issue)
        issue.refresh_from_db()
    return issue


# --- publishing an issue publishes its articles ----------------------------------------


def test_publishing_an_issue_publishes_its_articles_but_not_the_withdrawn(chief_editor):
    issue = ready_issue()
    Article.objects.filter(issue=issue, toc_position=3).update(status=Status.WITHDRAWN)
    # Taking an entry out changes what readers get: the sign-offs must be given again.
    with pytest.raises(PublicationBlocked, match=r"文章《.*》已撤回或移出本期，签发已失效"):
        issue_publish(issue=issue, by=chief_editor)
    sign_all(issue)

    issue_publish(issue=issue, by=chief_editor, note="第4期付印")

    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED
    states = dict(issue.articles.values_list("toc_position", "status"))
    assert states == {1: Status.PUBLISHED, 2: Status.PUBLISHED, 3: Status.WITHDRAWN}
    for article in issue.articles.filter(status=Status.PUBLISHED):
        assert article.published_at == issue.published_at
        event = article.events.get()
        assert (event.from_status, event.user) == (Status.REVIEW, chief_editor)
        assert event.note == "随2020年第4期（总第43期）发布：第4期付印"
    event = issue.events.get()
    assert (event.to_status, event.user, event.note) == (
        Status.PUBLISHED,
        chief_editor,
        "第4期付印",
    )


def test_an_article_published_earlier_keeps_its_own_time(chief_editor):
    issue = ready_issue()
    earlier = datetime.datetime(2020, 8, 1, 9, 0, tzinfo=SHANGHAI)
    Article.objects.filter(issue=issue, toc_position=1).update(
        status=Status.PUBLISHED, published_at=earlier
    )
    issue_publish(issue=issue, by=chief_editor)
    first = issue.articles.get(toc_position=1)
    assert first.published_at == earlier
    assert not first.events.exists()


def test_publishing_is_refused_with_the_list_of_problems(chief_editor):
    issue = ready_issue()
    Article.objects.filter(issue=issue, toc_position=2).update(body="", start_page=25)
    issue.masthead.all().delete()

    with pytest.raises(PublicationBlocked) as refused:
        issue_publish(issue=issue, by=chief_editor)

    assert refused.value.problems == [
        "第2条《实施意见》没有正文",
        "第2条与第1条页码重叠（第25–32页与第18–25页）",
        "编委会未填写",
    ]
    assert str(refused.value).startswith("2020年第4期（总第43期）未通过发布前检查，不能发布：")
    issue.refresh_from_db()
    assert issue.status == Status.REVIEW
    assert not issue.events.exists()
    assert not issue.articles.filter(status=Status.PUBLISHED).exists()


def test_an_issue_in_draft_must_be_submitted_first(chief_editor):
    issue = ready_issue(status=Status.DRAFT)
    with pytest.raises(TransitionNotAllowed, match="请先提交审核"):
        issue_publish(issue=issue, by=chief_editor)


def test_a_scheduled_issue_and_its_articles_appear_exactly_at_their_time(
    client, clock, chief_editor
):
    issue = ready_issue()
    moment = datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    clock.set(moment - datetime.timedelta(days=1))
    issue_publish(issue=issue, by=chief_editor, at=moment)
    article = issue.articles.get(toc_position=1)

    clock.set(moment - datetime.timedelta(microseconds=1))
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404
    assert list(Issue.objects.scheduled()) == [issue]

    clock.set(moment)
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert "在市委政协工作会议上的讲话" in response.content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert list(Issue.objects.scheduled()) == []


def test_a_withdrawn_issue_takes_its_articles_with_it(client, chief_editor):
    issue = ready_issue()
    issue_publish(issue=issue, by=chief_editor)
    article = issue.articles.get(toc_position=1)
    assert client.get(article.get_absolute_url()).status_code == 200

    issue_withdraw(issue=issue, by=chief_editor, note="封面有误")

    assert client.get(issue.get_absolute_url()).status_code == 404
    assert client.get(article.get_absolute_url()).status_code == 404
    assert issue.events.order_by("-at", "-pk").first().note == "封面有误"


# --- the admin ---------------------------------------------------------------------------


def test_the_issue_page_shows_the_check_and_the_publish_page_blocks_on_problems(
    chief_editor,
):
    issue = ready_issue()
    issue.masthead.all().delete()
    chief = logged_in(chief_editor)

    page = chief.get(reverse("admin:issues_issue_change", args=[issue.pk])).content.decode()
    assert "发布前检查" in page
    assert "编委会未填写" in page
    assert "没有封面（数字化的往期可以没有封面）" in page

    url = reverse("admin:issues_issue_workflow", args=[issue.pk, "publish"])
    confirm = chief.get(url).content.decode()
    assert "编委会未填写" in confirm
    assert "确认发布" not in confirm
    response = chief.post(url, {"note": ""})
    assert response.status_code == 200
    assert "未通过发布前检查，不能发布" in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Status.REVIEW


def test_the_publish_page_lists_the_entries_going_out_with_the_issue(chief_editor):
    issue = ready_issue()
    chief = logged_in(chief_editor)
    url = reverse("admin:issues_issue_workflow", args=[issue.pk, "publish"])
    page = chief.get(url).content.decode()
    assert "随本期发布的目录条目" in page and "实施意见" in page and "确认发布" in page

    response = chief.post(url, {"note": "", "at_0": "2030-09-01", "at_1": "08:00"}, follow=True)
    assert "已定时发布期刊“2020年第4期（总第43期）”：2030-09-01 08:00起读者可见。" in (
        response.content.decode()
    )
    issue.refresh_from_db()
    assert issue.published_at == datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)


def test_the_toc_on_the_issue_page_shows_states_but_cannot_change_them(staff_editor):
    issue = ready_issue(status=Status.DRAFT)
    editor = logged_in(staff_editor)
    url = reverse("admin:issues_issue_change", args=[issue.pk])
    data = form_data(editor.get(url), "issue_form")
    assert "articles-0-status" not in data
    response = editor.post(url, {**data, "articles-0-status": "published"})
    assert response.status_code == 302
    assert not issue.articles.filter(status=Status.PUBLISHED).exists()


# --- commands ---------------------------------------------------------------------------


def test_publish_issue_schedules_and_records_the_system_operator(chief_editor):
    issue = ready_issue()
    out = io.StringIO()
    call_command("publish_issue", "2020", "4", "--at", "2030-09-01 08:00", stdout=out)
    assert "已定时发布2020年第4期（总第43期）：2030-09-01 08:00 起读者可见。" in out.getvalue()
    assert "提醒：没有封面（数字化的往期可以没有封面）" in out.getvalue()
    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED
    assert issue.published_at == datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    event = issue.events.get()
    assert event.user is None and event.user_label == "系统（命令行）"

    page = logged_in(chief_editor).get(reverse("admin:issues_issue_change", args=[issue.pk]))
    assert "系统（命令行）" in page.content.decode()


def test_publish_issue_as_a_chief_editor_records_the_user(chief_editor):
    issue = ready_issue()
    call_command(
        "publish_issue", "2020", "4", "--user", "zhubian", "--note", "定稿", stdout=io.StringIO()
    )
    event = Issue.objects.get(pk=issue.pk).events.get()
    assert (event.user, event.note) == (chief_editor, "定稿")


def test_publish_issue_refuses_like_the_admin():
    issue = ready_issue()
    issue.masthead.all().delete()
    with pytest.raises(CommandError) as refused:
        call_command("publish_issue", "2020", "4", stdout=io.StringIO())
    assert "未通过发布前检查，不能发布" in str(refused.value)
    assert "· 编委会未填写" in str(refused.value)
    issue.refresh_from_db()
    assert issue.status == Status.REVIEW


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2020", "5"], "没有2020年第5期。"),
        (["2020", "4", "--user", "nobody"], "没有用户 nobody。"),
        (["2020", "4", "--at", "九月一日"], "--at 的时间“九月一日”无法识别"),
        (["2020", "4", "--at", "2030-13-01 08:00"], "--at 的时间“2030-13-01 08:00”无法识别"),
    ],
)
def test_publish_issue_explains_bad_arguments(args, message):
    ready_issue()
    with pytest.raises(CommandError, match=message):
        call_command("publish_issue", *args, stdout=io.StringIO())


def test_withdraw_issue_with_a_note_and_its_refusal_for_a_draft(chief_editor):
    issue = ready_issue()
    issue_publish(issue=issue, by=chief_editor)
    out = io.StringIO()
    call_command("withdraw_issue", "2020", "4", "--note", "内容需核实", stdout=out)
    assert "已撤回2020年第4期（总第43期）。" in out.getvalue()
    issue.refresh_from_db()
    assert issue.status == Status.WITHDRAWN
    assert issue.events.order_by("-at", "-pk").first().note == "内容需核实"

    with pytest.raises(CommandError, match="当前是“已撤回”，不能撤回"):
        call_command("withdraw_issue", "2020", "4", stdout=io.StringIO())


# --- dashboard --------------------------------------------------------------------------


def test_the_dashboard_shows_issues_in_progress_with_their_check_and_articles_in_review(
    chief_editor,
):
    issue = ready_issue()
    issue.masthead.all().delete()
    IssueFactory(year=2021, number=1, total_number=44)  # published: not in progress
    page = logged_in(chief_editor).get(reverse("admin:index")).content.decode()
    assert "进行中的期刊" in page
    assert "2020年第4期（总第43期）" in page
    assert "1 个问题" in page and "编委会未填写" in page
    assert "2021年第1期" not in page.split("进行中的期刊")[1].split("待审文章")[0]
    assert "待审文章（3）" in page
    assert "实施意见" in page


def test_the_dashboard_queries_do_not_grow_with_the_number_of_issues(chief_editor):
    chief = logged_in(chief_editor)
    url = reverse("admin:index")
    ready_issue()
    chief.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as one:
        chief.get(url)
    for year in (2021, 2022, 2023):
        more = IssueFactory(
            year=year, number=1, total_number=year, status=Status.DRAFT, published_at=None
        )
        ArticleFactory.create_batch(3, issue=more, status=Status.REVIEW)
    with CaptureQueriesContext(connection) as four:
        chief.get(url)
    assert len(four) == len(one)


# --- preview ----------------------------------------------------------------------------


def test_the_issue_preview_shows_what_publishing_will_show(staff_editor):
    from tests.factories import HighlightFactory

    issue = ready_issue(status=Status.DRAFT)
    Article.objects.filter(issue=issue, toc_position=3).update(status=Status.WITHDRAWN)
    HighlightFactory(article=issue.articles.get(toc_position=1), text="张志川讲话")
    HighlightFactory(article=issue.articles.get(toc_position=3), text="撤回文章的导读")
    response = logged_in(staff_editor).get(reverse("preview:issue", args=[issue.pk]))
    assert response.status_code == 200
    assert "issues/issue_detail.html" in [t.name for t in response.templates]
    assert [a.title for a in response.context["articles"]] == [
        "在市委政协工作会议上的讲话",
        "实施意见",
    ]
    assert [h.text for h in response.context["highlights"]] == ["张志川讲话"]
    html = response.content.decode()
    assert "2020年第4期（总第43期）" in html and "说明" not in html
    assert "张志川讲话" in html and "撤回文章的导读" not in html
    assert Client().get(issue.get_absolute_url()).status_code == 404  # readers: still nothing


# --- the whole way ------------------------------------------------------------------------


def test_from_draft_through_review_to_scheduled_publication_every_step_recorded(
    client, clock, staff_editor, chief_editor
):
    # Loaded as a draft for review (what `import_issue --status draft` produces).
    issue = ready_issue(status=Status.DRAFT)
    Article.objects.filter(issue=issue).update(status=Status.DRAFT)
    start = datetime.datetime(2030, 8, 25, 10, 0, tzinfo=SHANGHAI)
    release = datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    clock.set(start)

    # The 编辑 cannot skip review, and submits from the admin.
    editor = logged_in(staff_editor)
    with pytest.raises(CommandError, match="没有发布期刊的权限"):
        call_command("publish_issue", "2020", "4", "--user", "bianji", stdout=io.StringIO())
    submit = reverse("admin:issues_issue_workflow", args=[issue.pk, "submit"])
    assert editor.post(submit, {"note": "请主编审阅"}).status_code == 302
    sign_all(issue)

    # The 主编 schedules the release with the command.
    call_command(
        "publish_issue", "2020", "4", "--at", "2030-09-01 08:00", "--user", "zhubian",
        stdout=io.StringIO(),
    )  # fmt: skip

    clock.set(release - datetime.timedelta(seconds=1))
    assert client.get(issue.get_absolute_url()).status_code == 404
    clock.set(release)
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert client.get(issue.articles.get(toc_position=2).get_absolute_url()).status_code == 200

    steps = [
        (e.from_status, e.to_status, e.user, e.at, e.publish_at)
        for e in issue.events.order_by("at", "pk")
    ]
    assert steps == [
        (Status.DRAFT, Status.REVIEW, staff_editor, start, None),
        (Status.REVIEW, Status.PUBLISHED, chief_editor, start, release),
    ]
    for article in issue.articles.all():
        (event,) = article.events.all()
        assert (event.user, event.publish_at) == (chief_editor, release)
    history = issue.history.order_by("history_date")
    assert [h.status for h in history] == [Status.DRAFT, Status.REVIEW, Status.PUBLISHED]
    assert [h.history_user for h in history][1:] == [staff_editor, chief_editor]


# --- 改期: a scheduled release moves, with its articles ----------------------------------


def test_a_scheduled_issue_is_rescheduled_with_its_articles(clock, chief_editor):
    from issues.services import issue_reschedule

    issue = ready_issue()
    planned = datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    earlier = datetime.datetime(2030, 8, 28, 8, 0, tzinfo=SHANGHAI)
    clock.set(datetime.datetime(2030, 8, 20, 9, 0, tzinfo=SHANGHAI))
    issue_publish(issue=issue, by=chief_editor, at=planned)
    own_time = datetime.datetime(2030, 9, 10, 8, 0, tzinfo=SHANGHAI)
    Article.objects.filter(issue=issue, toc_position=3).update(published_at=own_time)

    issue_reschedule(issue=issue, by=chief_editor, at=earlier, note="提前发布")

    issue.refresh_from_db()
    assert issue.published_at == earlier
    times = dict(issue.articles.values_list("toc_position", "published_at"))
    assert times == {1: earlier, 2: earlier, 3: own_time}
    event = issue.events.order_by("-at", "-pk").first()
    assert (event.from_status, event.to_status, event.publish_at, event.note) == (
        Status.PUBLISHED,
        Status.PUBLISHED,
        earlier,
        "提前发布",
    )


def test_a_live_issue_cannot_be_rescheduled(chief_editor):
    from issues.services import issue_reschedule

    issue = ready_issue()
    issue_publish(issue=issue, by=chief_editor)
    with pytest.raises(TransitionNotAllowed) as refused:
        issue_reschedule(
            issue=issue, by=chief_editor, at=datetime.datetime(2030, 1, 1, tzinfo=SHANGHAI)
        )
    assert str(refused.value) == (
        "期刊“2020年第4期（总第43期）”已经公开，不能改期："
        "只有定时发布、尚未到发布时间的期刊可以改期。"
    )


def test_reschedule_is_offered_only_for_a_scheduled_issue_and_asks_for_the_time(
    chief_editor,
):
    issue = ready_issue()
    chief = logged_in(chief_editor)
    change = reverse("admin:issues_issue_change", args=[issue.pk])
    url = reverse("admin:issues_issue_workflow", args=[issue.pk, "reschedule"])
    issue_publish(issue=issue, by=chief_editor)
    assert url not in chief.get(change).content.decode()

    issue_withdraw(issue=issue, by=chief_editor)
    Issue.objects.filter(pk=issue.pk).update(status=Status.REVIEW)
    sign_all(issue)
    issue_publish(
        issue=issue, by=chief_editor, at=datetime.datetime(2030, 9, 1, 8, 0, tzinfo=SHANGHAI)
    )
    assert url in chief.get(change).content.decode()
    assert chief.post(url, {"note": ""}).status_code == 200  # the time is required
    response = chief.post(url, {"note": "", "at_0": "2030-08-28", "at_1": "08:00"}, follow=True)
    assert "已改期期刊“2020年第4期（总第43期）”：2030-08-28 08:00起读者可见。" in (
        response.content.decode()
    )


# --- import: permission first, then the first line of the record ------------------------


def test_who_may_import_and_as_what(staff_editor, chief_editor, archivist):
    from issues.services import issue_import_permitted
    from workflow.transitions import NotPermitted

    issue_import_permitted(by=archivist, status=Status.DRAFT)
    issue_import_permitted(by=None, status=Status.PUBLISHED)  # the system operator
    with pytest.raises(
        NotPermitted, match="用户 danganyuan 没有发布期刊的权限，不能导入为“已发布”"
    ):
        issue_import_permitted(by=archivist, status=Status.PUBLISHED)
    with pytest.raises(NotPermitted, match="用户 bianji 没有导入期刊的权限。"):
        issue_import_permitted(by=staff_editor, status=Status.DRAFT)
    with pytest.raises(NotPermitted, match="用户 zhubian 没有导入期刊的权限。"):
        issue_import_permitted(by=chief_editor, status=Status.PUBLISHED)


def test_an_imported_draft_starts_its_record_and_goes_on_through_review(
    archivist, staff_editor, chief_editor
):
    from issues.services import issue_record_import

    issue = ready_issue(status=Status.DRAFT)
    issue_record_import(issue=issue, by=archivist, source="jczx-2020-04.md")
    issue_submit(issue=issue, by=staff_editor)
    sign_all(issue)
    issue_publish(issue=issue, by=chief_editor)

    steps = [(e.from_label, e.to_label, e.user_label) for e in issue.events.order_by("at", "pk")]
    assert steps == [
        ("新建", "草稿", "danganyuan"),
        ("草稿", "待审", "bianji"),
        ("待审", "已发布", "zhubian"),
    ]
    assert issue.events.order_by("at", "pk").first().note == "导入：jczx-2020-04.md"


# --- import_issue --user: the real issue from file to review ------------------------------


def import_demo(*args):
    from tests.issues.demo import ISSUE_2020_4

    out, err = io.StringIO(), io.StringIO()
    call_command("import_issue", str(ISSUE_2020_4), *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_an_archivist_imports_the_real_issue_as_a_draft_that_passes_the_check(
    columns, quick_index, archivist
):
    import_demo("--status", "draft", "--user", "danganyuan")
    issue = Issue.objects.get(year=2020, number=4)
    assert issue.status == Status.DRAFT
    event = issue.events.get()
    assert (event.from_label, event.to_label, event.user, event.note) == (
        "新建",
        "草稿",
        archivist,
        "导入：jczx-2020-04.md",
    )
    from issues.checks import issue_check

    check = issue_check(issue)
    assert check.problems == []
    assert check.warnings == [
        "第1、2、3、4、5、6、7、8、9、10、11、12条仍是草稿，未经提交审核，将随本期一起发布",
        "没有封面（数字化的往期可以没有封面）",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "draft", "--user", "bianji"], "用户 bianji 没有导入期刊的权限。"),
        (["--user", "danganyuan"], "用户 danganyuan 没有发布期刊的权限，不能导入为“已发布”"),
    ],
)
def test_import_refuses_who_may_not_and_writes_nothing(
    columns, quick_index, staff_editor, archivist, args, message
):
    with pytest.raises(CommandError, match=message):
        import_demo(*args)
    assert not Issue.objects.exists()


def test_an_archivist_cannot_take_a_published_issue_off_the_site_by_replacing_it(
    columns, quick_index, archivist, tmp_path
):
    from tests.issues.demo import ISSUE_2020_4

    import_demo()  # the system operator publishes it
    changed = tmp_path / "jczx-2020-04.md"
    changed.write_text(
        ISSUE_2020_4.read_text(encoding="utf-8").replace("常国荣", "常国华"), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="不能替换已发布的2020年第4期（总第43期）"):
        call_command(
            "import_issue", str(changed), "--replace", "--status", "draft",
            "--user", "danganyuan", stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    issue = Issue.objects.get(year=2020, number=4)
    assert issue.status == Status.PUBLISHED
    assert issue.events.get().user_label == "系统（命令行）"
