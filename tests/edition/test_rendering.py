"""PDF pages to images and the printed page 1 (edition.rendering), on PDFs made here."""

import io
import random

import pypdfium2 as pdfium
import pytest
from PIL import Image

from edition import rendering
from edition.rendering import UnreadablePdf, detect_page_one, render_pdf
from tests.pdfs import NUMBER_FORMATS, broken_pdf, magazine_pdf


def empty_pdf() -> bytes:
    out = io.BytesIO()
    pdfium.PdfDocument.new().save(out)
    return out.getvalue()


def render(data: bytes):
    stored = {}

    def save(suffix, content):
        stored[suffix] = content
        return f"stored/{suffix}"

    return list(render_pdf(io.BytesIO(data), save=save)), stored


def test_every_page_becomes_a_webp_at_the_reading_width_and_a_thumbnail():
    pages, stored = render(magazine_pdf(12, 3))

    assert [p.index for p in pages] == list(range(1, 13))
    assert len(stored) == 24
    first = pages[0]
    assert (first.image, first.thumbnail) == ("stored/p001.webp", "stored/p001-thumb.webp")
    # A4 (595 × 842 pt) at 1400 px wide is 1981 px tall; the thumbnail keeps the ratio.
    assert {(p.width, p.height) for p in pages} == {(1400, 1981)}
    assert {(p.thumbnail_width, p.thumbnail_height) for p in pages} == {(300, 424)}
    for suffix, size in (("p007.webp", (1400, 1981)), ("p007-thumb.webp", (300, 424))):
        with Image.open(io.BytesIO(stored[suffix])) as image:
            assert (image.format, image.size) == ("WEBP", size)


def test_the_page_is_drawn_not_blank():
    _, stored = render(magazine_pdf(3, 2))
    with Image.open(io.BytesIO(stored["p003.webp"])) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
    assert dark > 2000  # the title, twelve lines of text and the page number in black


def test_a_landscape_page_is_as_wide_and_a_fold_out_is_bounded(monkeypatch):
    pages, _ = render(magazine_pdf(2, 1, pagesize=(842, 595)))
    assert (pages[0].width, pages[0].height) == (1400, 990)
    pages, _ = render(magazine_pdf(2, 1, pagesize=(100, 2000)))
    # 20 times as tall as wide: drawn at most MAX_ASPECT reading widths tall.
    assert pages[0].height == rendering.MAX_ASPECT * rendering.READING_WIDTH
    assert pages[0].width == 280


def test_printed_page_one_from_the_numbers_on_the_pages():
    pages, _ = render(magazine_pdf(12, 3))
    assert [p.text_number for p in pages] == [None, None, *range(1, 11)]
    found = detect_page_one(pages)
    assert (found.index, found.source, found.agreeing) == (3, "text", 10)


def test_printed_page_one_from_the_page_labels():
    pages, _ = render(magazine_pdf(6, 2, labels=True))
    assert [p.label_number for p in pages] == [None, 1, 2, 3, 4, 5]
    found = detect_page_one(pages)
    assert (found.index, found.source) == (2, "label")


def test_no_numbers_means_no_guess():
    pages, _ = render(magazine_pdf(3, 9))  # never reaches a numbered page
    assert detect_page_one(pages) is None


@pytest.mark.parametrize("seed", range(12))
def test_page_one_is_found_in_generated_variants(seed, monkeypatch):
    """Other page counts, first numbered pages, number forms and places, a stray year in
    a footer: page 1 is where the PDF prints it."""
    monkeypatch.setattr(rendering, "READING_WIDTH", 60)
    monkeypatch.setattr(rendering, "THUMBNAIL_WIDTH", 20)
    rng = random.Random(seed)
    count = rng.randint(4, 16)
    first = rng.randint(1, min(5, count - 2))
    stray = rng.choice([None, rng.randint(1, count)])
    data = magazine_pdf(
        count,
        first,
        number_format=rng.choice(sorted(NUMBER_FORMATS)),
        number_at=rng.choice(["top", "bottom"]),
        labels=rng.random() < 0.3,
        stray_year_on=stray,
    )
    pages, _ = render(data)
    assert detect_page_one(pages).index == first, (count, first, stray)


@pytest.mark.parametrize(
    "data, reason",
    [
        (broken_pdf(), "PDF 无法打开"),
        (magazine_pdf(3, 1)[:400], "PDF 无法打开"),  # cut off mid-file
        (empty_pdf(), "PDF 无法打开"),  # no pages: PDFium refuses it whole
    ],
)
def test_an_unreadable_pdf_says_why(data, reason):
    with pytest.raises(UnreadablePdf, match=reason):
        render(data)
