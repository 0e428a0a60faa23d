"""Real magazine-like PDFs for the 电子版 tests and the benchmark, made with reportlab.

reportlab embeds only TrueType outlines, and the machine's Noto CJK fonts
(fonts-noto-cjk: NotoSansCJK-Regular.ttc …) are CFF: the Chinese text is set in Adobe's
standard STSong-Light, which a PDF names without embedding, and PDFium draws it with the
CJK font the machine has (Noto CJK). The text layer holds the real characters either way.
"""

import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

# How a page number may be printed: plain, between dashes, as 第N页.
NUMBER_FORMATS = {"plain": "{n}", "dashes": "- {n} -", "chinese": "第{n}页"}


def magazine_pdf(
    pages: int = 12,
    first_numbered: int = 3,
    *,
    number_format: str = "plain",
    number_at: str = "bottom",
    labels: bool = False,
    stray_year_on: int | None = None,
    pagesize=A4,
) -> bytes:
    """A PDF of ``pages`` pages like an issue of 《晋城政协》: a cover, a 目录, then the
    printed pages numbered 1, 2 … from PDF page ``first_numbered`` on, the number
    alone on a line at the page's ``number_at`` (top or bottom). ``labels``: the PDF's
    page labels say the same (/PageLabels). ``stray_year_on``: that PDF page carries
    a footer with a year (2020), a number that is not a page number."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=pagesize)
    width, height = pagesize
    if labels and first_numbered > 1:
        pdf.addPageLabel(0, style="ROMAN_LOWER", start=1)
    if labels:
        pdf.addPageLabel(first_numbered - 1, style="ARABIC", start=1)
    for index in range(1, pages + 1):
        printed = index - first_numbered + 1
        pdf.setFont(CJK, 11)
        pdf.drawString(56, height - 40, "《晋城政协》 2020年第4期")
        if index == 1:
            pdf.setFont(CJK, 48)
            pdf.drawCentredString(width / 2, height / 2, "晋城政协")
        elif index < first_numbered:
            pdf.setFont(CJK, 24)
            pdf.drawString(72, height - 120, "目录")
        else:
            pdf.setFont(CJK, 22)
            pdf.drawString(72, height - 120, f"正文第{printed}页")
            pdf.setFont(CJK, 12)
            for line in range(12):
                pdf.drawString(
                    72, height - 170 - line * 22, "人民政协是具有中国特色的制度安排。" * 2
                )
            text = NUMBER_FORMATS[number_format].format(n=printed)
            font = CJK if number_format == "chinese" else "Helvetica"
            pdf.setFont(font, 10)
            y = 28 if number_at == "bottom" else height - 24
            pdf.drawCentredString(width / 2, y, text)
        if index == stray_year_on:
            pdf.setFont("Helvetica", 9)
            pdf.drawString(56, 14, "2020")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def broken_pdf() -> bytes:
    """Starts like a PDF (the upload check passes) but PDFium cannot read it."""
    return b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>\nthis is not a PDF at all\n"
