"""An issue's PDF as page images (PDFium through pypdfium2), and the PDF page printed
as page 1. No database here: ``edition.services`` stores what these functions make.

Memory stays bounded whatever the number of pages: the PDF is read from its file (not
loaded whole), and one page at a time is loaded, rendered, encoded and closed with its
text page and bitmap before the next.
"""

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

READING_WIDTH = 1400  # px: the page read on a screen, zoomable to twice a phone's width
THUMBNAIL_WIDTH = 300  # px: the grid of pages, sharp on a 2x screen at 150 CSS px
# A page far taller than wide (a fold-out, a damaged box) is drawn at most this many
# times as tall as the reading width, so that one page cannot take unbounded memory.
MAX_ASPECT = 4
READING_QUALITY = 80
THUMBNAIL_QUALITY = 75
# The top and bottom bands of a page where a magazine prints its page number.
NUMBER_BAND = 0.1
# 7, - 7 -, ·7·, 第7页: a page number standing alone on its line.
_PAGE_NUMBER = re.compile(r"^[\s\-–—·•|]*(?:第\s*)?(\d{1,3})(?:\s*页)?[\s\-–—·•|]*$")


class UnreadablePdf(Exception):
    """The PDF cannot be rendered; the message says why, in Chinese, for the editor."""


@dataclass
class RenderedPage:
    index: int  # 1-based place in the PDF
    image: str  # stored names
    width: int
    height: int
    thumbnail: str
    thumbnail_width: int
    thumbnail_height: int
    label_number: int | None  # the PDF's page label, when a plain number
    text_number: int | None  # the number printed alone at the page's top or bottom


def render_pdf(source, *, save: Callable[[str, bytes], str]) -> Iterator[RenderedPage]:
    """Each page of the PDF ``source`` (a path or a readable binary stream) rendered to
    WebP at ``READING_WIDTH`` and ``THUMBNAIL_WIDTH``, stored by ``save(suffix, data)``
    (which returns the stored name), with the page number it shows. Raises
    ``UnreadablePdf``."""
    try:
        pdf = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        raise UnreadablePdf(f"PDF 无法打开（文件损坏、不完整或有密码）：{exc}") from exc
    try:
        count = len(pdf)
        if count == 0:
            raise UnreadablePdf("PDF 中没有页面。")
        for index in range(1, count + 1):
            try:
                yield _render_page(pdf, index, save)
            except pdfium.PdfiumError as exc:
                raise UnreadablePdf(f"PDF 第{index}页无法渲染：{exc}") from exc
    finally:
        pdf.close()


def _render_page(pdf, index: int, save) -> RenderedPage:
    page = pdf[index - 1]
    try:
        width_pt, height_pt = page.get_size()
        if width_pt <= 0 or height_pt <= 0:
            raise UnreadablePdf(f"PDF 第{index}页的页面尺寸无效。")
        label_number = _label_number(pdf, index - 1)
        text_number = _printed_number(page, width_pt, height_pt)
        # Slightly under the exact factor: PDFium rounds the bitmap's size up.
        scale = min(READING_WIDTH / width_pt, MAX_ASPECT * READING_WIDTH / height_pt)
        bitmap = page.render(scale=scale * (1 - 1e-9))
        try:
            image = bitmap.to_pil()
            reading = _webp(image, READING_QUALITY)
            thumbnail_image = image.resize(
                (THUMBNAIL_WIDTH, max(1, round(image.height * THUMBNAIL_WIDTH / image.width))),
                Image.Resampling.LANCZOS,
                reducing_gap=2.0,
            )
            size = image.size
            image.close()
        finally:
            bitmap.close()
        thumbnail = _webp(thumbnail_image, THUMBNAIL_QUALITY)
        thumbnail_size = thumbnail_image.size
        thumbnail_image.close()
    finally:
        page.close()
    return RenderedPage(
        index=index,
        image=save(f"p{index:03d}.webp", reading),
        width=size[0],
        height=size[1],
        thumbnail=save(f"p{index:03d}-thumb.webp", thumbnail),
        thumbnail_width=thumbnail_size[0],
        thumbnail_height=thumbnail_size[1],
        label_number=label_number,
        text_number=text_number,
    )


def _webp(image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=quality, method=2)
    return out.getvalue()


def _label_number(pdf, zero_index: int) -> int | None:
    """The page's label (the PDF's /PageLabels) when it is a plain number."""
    label = (pdf.get_page_label(zero_index) or "").strip()
    return int(label) if label.isdecimal() and len(label) <= 4 else None


def _printed_number(page, width_pt: float, height_pt: float) -> int | None:
    """A number standing alone on a line of the page's text layer in its top or bottom
    band: the page number as printed. None when there is none, or more than one."""
    textpage = page.get_textpage()
    try:
        band = height_pt * NUMBER_BAND
        found = set()
        for bottom, top in ((0, band), (height_pt - band, height_pt)):
            text = textpage.get_text_bounded(left=0, bottom=bottom, right=width_pt, top=top)
            for line in text.splitlines():
                match = _PAGE_NUMBER.match(line)
                if match and int(match.group(1)) > 0:
                    found.add(int(match.group(1)))
    finally:
        textpage.close()
    return found.pop() if len(found) == 1 else None


@dataclass
class PageOne:
    index: int  # the PDF page printed as page 1
    source: str  # "label" (the PDF's page labels) or "text" (numbers printed on pages)
    agreeing: int  # pages whose number agrees
    numbered: int  # pages showing a number at all

    @property
    def source_label(self) -> str:
        return {"label": "PDF 页码标签", "text": "页面上印的页码"}[self.source]


def detect_page_one(pages: list[RenderedPage]) -> PageOne | None:
    """The PDF page printed as page 1. Page labels decide when they say something the
    physical order does not (many PDFs label every page 1, 2, 3 … from the cover);
    otherwise the numbers printed on the pages; otherwise labels that agree with the
    physical order. None when neither says."""
    labels = _vote([(p.index, p.label_number) for p in pages], "label")
    if labels and labels.index != 1:
        return labels
    return _vote([(p.index, p.text_number) for p in pages], "text") or labels


def _vote(numbers: list[tuple[int, int | None]], source: str) -> PageOne | None:
    """The offset most numbered pages agree on, when at least two and at least half of
    them agree (a stray number in a footer, a year, does not decide it)."""
    numbered = [(index, n) for index, n in numbers if n is not None]
    votes = Counter(index - n + 1 for index, n in numbered)
    if not votes:
        return None
    (index, agreeing), *_ = votes.most_common(1)
    if agreeing < 2 or agreeing * 2 < len(numbered) or index < 1:
        return None
    return PageOne(index=index, source=source, agreeing=agreeing, numbered=len(numbered))


def printed_number(index: int, page_one: int) -> int | None:
    """The printed page number of PDF page ``index`` when page ``page_one`` is page 1."""
    return index - page_one + 1 if index >= page_one else None
