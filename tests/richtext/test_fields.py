"""Rich text is sanitized by nh3 on every path into the database."""

from html.parser import HTMLParser

import pytest

from articles.models import Article
from richtext.fields import ALLOWED_TAGS, sanitize_html
from tests.factories import ArticleFactory
from tests.xss import PAYLOADS

pytestmark = pytest.mark.django_db


class _Elements(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(html: str):
    """No element outside the allow-list, no event handler or style attribute, no URL
    other than http(s), mailto or a relative one."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", f"{name} survived in {html!r}"
            if name in ("href", "src"):
                scheme = (
                    (value or "").split(":", 1)[0].strip().lower() if ":" in (value or "") else ""
                )
                assert scheme in ("", "http", "https", "mailto"), f"{value!r} survived"


def test_payload_file_is_the_corpus_list():
    assert len(PAYLOADS) > 200
    assert any("<script" in p.lower() for p in PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_payload_is_neutralised(payload):
    assert_inert(sanitize_html(f"<p>正文{payload}</p>"))


def test_allowed_formatting_is_kept_intact():
    html = (
        "<h2>一、总体要求</h2><p>人民政协是<strong>专门协商机构</strong>，<em>重要渠道</em>。</p>"
        "<ul><li>第一条</li></ul><ol><li>第二条</li></ol>"
        "<blockquote><p>引文</p></blockquote>"
        '<p><a href="https://zx.jconline.cn/">晋城政协网</a> '
        '<a href="mailto:jczxbjb@126.com">来信</a></p>'
        '<figure class="image"><img src="/media/uploads/a.jpg" alt="会场">'
        "<figcaption>会场</figcaption></figure>"
        "<table><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    cleaned = sanitize_html(html)
    assert "<h2>一、总体要求</h2>" in cleaned
    assert "<strong>专门协商机构</strong>" in cleaned
    assert "<em>重要渠道</em>" in cleaned
    assert '<a href="https://zx.jconline.cn/" rel="noopener noreferrer">晋城政协网</a>' in cleaned
    assert 'href="mailto:jczxbjb@126.com"' in cleaned
    assert '<img src="/media/uploads/a.jpg" alt="会场">' in cleaned
    assert "<figcaption>会场</figcaption>" in cleaned
    assert "<blockquote><p>引文</p></blockquote>" in cleaned
    assert "<td>1</td>" in cleaned


def test_scripts_styles_iframes_and_their_content_are_gone():
    cleaned = sanitize_html(
        '<p style="color:red" onclick="x()">文字</p><script>alert(1)</script>'
        '<style>p{}</style><iframe src="https://evil.example"></iframe>'
        '<a href="javascript:alert(1)">链接</a><img src="data:image/png;base64,AAAA">'
    )
    assert cleaned == '<p>文字</p><a rel="noopener noreferrer">链接</a><img>'


def test_save_sanitizes_body_and_editors_note():
    article = ArticleFactory(
        body='<p onmouseover="alert(1)">正文</p><script>alert(2)</script>',
        editors_note='<p>编者按<img src=x onerror="alert(3)"></p>',
    )
    stored = Article.objects.values("body", "editors_note").get(pk=article.pk)
    assert stored == {"body": "<p>正文</p>", "editors_note": '<p>编者按<img src="x"></p>'}
    assert article.body == "<p>正文</p>"


def test_queryset_update_and_bulk_create_are_sanitized_too():
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(body="<p>新</p><script>alert(1)</script>")
    assert Article.objects.get(pk=article.pk).body == "<p>新</p>"

    other = ArticleFactory.build(
        issue=article.issue,
        column=article.column,
        toc_position=99,
        body="<p>批量</p><iframe src=//x></iframe>",
    )
    Article.objects.bulk_create([other])
    assert Article.objects.get(toc_position=99).body == "<p>批量</p>"
