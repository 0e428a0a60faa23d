"""The jczx-issue JSON format: export, import, schema."""

import copy
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from articles.models import Article, Column
from issues.importing import ParseError
from issues.importing.interchange import (
    SCHEMA_PATH,
    content,
    differences,
    document_from_parsed,
    dumps,
    issue_export,
    load,
    validate,
)
from issues.importing.service import issue_import
from issues.models import Issue
from members.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_index")]

DOCS = Path(__file__).resolve().parents[2] / "docs"
XSS = Path(__file__).resolve().parents[1] / "data" / "xss-payloads.txt"


_SAFE = ("http:", "https:", "mailto:")


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "svg", "math", "form"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            scheme = value.split("/")[0].lower() if value else ""
            if name in ("href", "src") and ":" in scheme and not scheme.startswith(_SAFE):
                self.found.append(f"{tag}[{name}={value[:20]}]")


def dangerous_markup(html: str) -> list[str]:
    """Tags and attributes that could run script, found in ``html``."""
    parser = _Tags()
    parser.feed(html)
    return parser.found


def empty_database():
    Issue.objects.all().delete()
    Person.objects.all().delete()
    Column.objects.all().delete()


def test_export_shape(imported):
    doc = issue_export(issue=imported)
    assert (doc["format"], doc["version"]) == ("jczx-issue", 1)
    assert {k: doc["issue"][k] for k in ("year", "number", "total_number")} == {
        "year": 2020,
        "number": 4,
        "total_number": 43,
    }
    assert doc["issue"]["editorial_board"][:2] == [
        {"role": "主任", "name": "常国荣"},
        {"role": "编委", "name": "崔守安"},
    ]
    assert doc["issue"]["url"] == "/issues/2020/4/"
    note = doc["articles"][6]
    assert {k: note[k] for k in ("column", "page", "end_page", "featured", "authors", "url")} == {
        "column": "会议专题",
        "page": 33,
        "end_page": 35,
        "featured": False,
        "authors": [{"name": "姚逊", "title": "市委副书记", "role": "作者"}],
        "url": "/issues/2020/4/articles/7/",
    }
    assert note["body"].startswith("<p>根据市委安排,我就《中共晋城市委")
    assert doc["articles"][0]["featured"] is True
    assert len(doc["news_items"]) == 35
    assert doc["news_items"][0] == {
        "date": "2020-07-01",
        "end_date": None,
        "part_of_day": "上午",
        "text": doc["news_items"][0]["text"],
        "people": ["武四海"],
        "article": 12,
    }
    assert validate(doc) == []


def test_export_import_export_is_identical(imported, tmp_path):
    first = dumps(issue_export(issue=imported))
    path = tmp_path / "2020-4.json"
    path.write_text(first, encoding="utf-8")
    empty_database()
    result = issue_import(path=path)
    assert result.outcome == "created"
    second = dumps(issue_export(issue=Issue.objects.get()))
    assert second == first


def test_text_and_its_export_are_the_same_issue(imported, tmp_path, issue_2020_4):
    """Importing the exported JSON over the text import changes nothing."""
    path = tmp_path / "2020-4.json"
    path.write_text(dumps(issue_export(issue=imported)), encoding="utf-8")
    assert issue_import(path=path).outcome == "unchanged"
    assert content(document_from_parsed(issue_2020_4)) == content(issue_export(issue=imported))


def test_rich_text_from_json_is_sanitized(imported, tmp_path):
    doc = issue_export(issue=imported)
    payloads = [line for line in XSS.read_text(encoding="utf-8").splitlines() if line.strip()]
    doc["articles"][0]["body"] = "\n".join(f"<p>{p}</p>" for p in payloads)
    doc["articles"][0]["editors_note"] = '<p onclick="x()">按<script>alert(1)</script></p>'
    path = tmp_path / "xss.json"
    path.write_text(dumps(doc), encoding="utf-8")
    assert issue_import(path=path, replace=True, status="published").outcome == "replaced"
    article = Article.objects.get(toc_position=1)
    for stored in (article.body, article.editors_note):
        assert dangerous_markup(stored) == []
    assert "按" in article.editors_note
    exported = issue_export(issue=Issue.objects.get())["articles"][0]["body"]
    assert exported == article.body


def test_document_from_parse_validates(issue_2020_4):
    assert validate(document_from_parsed(issue_2020_4)) == []


@pytest.fixture
def doc(issue_2020_4):
    return copy.deepcopy(document_from_parsed(issue_2020_4))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: d.update(format="other"), '$.format：应为 "jczx-issue"'),
        (lambda d: d["articles"][2].pop("title"), "$.articles[2]：缺少 title"),
        (lambda d: d["articles"][2].update(page="七"), '$.articles[2].page：应为整数，实为 "七"'),
        (lambda d: d["articles"][2].update(pages=7), "$.articles[2]：不认识的字段 pages"),
        (lambda d: d["articles"][2].update(title=""), "$.articles[2].title：不能为空"),
        (lambda d: d["issue"].update(year=1800), "$.issue.year：不能小于 1949"),
        (lambda d: d["news_items"][0].update(date="7月1日"), "$.news_items[0].date：格式不对"),
        (
            lambda d: d["news_items"][0].update(date="2020-02-30"),
            "news_items[0].date：不是有效日期",
        ),
        (lambda d: d["articles"][3].update(toc_position=1), "目录序号 toc_position 有重复"),
        (lambda d: d["articles"][3].update(end_page=2), "articles[3]：结束页 2 早于起始页 14"),
        (
            lambda d: d["issue"]["highlights"].append({"article": 99}),
            "没有目录序号为 99 的文章",
        ),
        (
            lambda d: d["articles"][0]["authors"].append({"name": "某人", "role": "主持"}),
            '$.articles[0].authors[0].role：应为 "作者"、"发言"、"反映"、"讲话"、"编辑" 之一',
        ),
    ],
)
def test_broken_documents_are_refused_with_the_place(doc, damage, message):
    damage(doc)
    problems = validate(doc, "x.json")
    assert problems
    assert any(message in p.reason for p in problems), [p.reason for p in problems]


def test_json_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "jczx-issue",\n  "version": 1,\n  oops\n}', encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        load(path)
    assert (caught.value.file, caught.value.line) == (str(path), 4)
    assert "JSON 格式错误" in caught.value.reason


def test_differences_say_what_changed(doc):
    changed = copy.deepcopy(doc)
    changed["articles"][2]["title"] = "另一个标题"
    changed["news_items"].pop()
    assert differences(doc, changed) == [
        "目录第3条《另一个标题》：title 不同",
        "工作动态：35 条 → 34 条，内容不同",
    ]
    assert differences(doc, copy.deepcopy(doc)) == []


def test_schema_file_and_documentation():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["properties"]["format"] == {"const": "jczx-issue"}
    assert set(schema["$defs"]["article"]["properties"]) >= {
        "column",
        "page",
        "title",
        "featured",
        "authors",
        "body",
        "url",
    }
    guide = (DOCS / "interchange.md").read_text(encoding="utf-8")
    for field in schema["$defs"]["article"]["properties"]:
        assert f"`{field}`" in guide, field


def test_every_problem_is_named_in_chinese_in_document_order(doc):
    doc["articles"][3].update(title="", page=0, pages=7)
    doc["articles"][3].pop("column")
    doc["issue"].update(visibility="secret", number="四")
    doc["news_items"][1]["people"] = ["某" * 41]
    assert [p.reason for p in validate(doc, "x.json")] == [
        "$.articles[3]：缺少 column",
        "$.articles[3]：不认识的字段 pages",
        "$.articles[3].page：不能小于 1",
        "$.articles[3].title：不能为空",
        '$.issue.number：应为整数，实为 "四"',
        '$.issue.visibility：应为 "public"、"internal" 之一',
        "$.news_items[1].people[0]：超过 40 个字符",
    ]
    assert {p.file for p in validate(doc, "x.json")} == {"x.json"}


def test_the_schema_ships_in_the_package_and_docs_show_the_same_file():
    from jsonschema import Draft202012Validator

    # Run time reads the package's copy; docs/ links to it, one file for both.
    assert SCHEMA_PATH.name == "jczx-issue.schema.json"
    assert "importing" in str(SCHEMA_PATH)
    shown = (DOCS / "jczx-issue.schema.json").read_text(encoding="utf-8")
    assert shown == SCHEMA_PATH.read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(shown))
