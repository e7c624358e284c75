"""Word documents in Chinese official style: A4, defined 仿宋/黑体 styles, page numbers, 一、（一）1.

The only module that imports python-docx, and only inside functions: the bot process loads it
(about 8 MB with lxml) when it first writes a document, not at start.
"""

from __future__ import annotations

import io
from typing import Any

from core.i18n import Tr

CN_DIGITS = "零一二三四五六七八九"
# (style name, Chinese font, Latin font, size in points, bold, centred)
STYLES = {
    "title": ("公文标题", "方正小标宋简体", "Times New Roman", 22, False, True),
    "h1": ("黑体标题", "黑体", "Arial", 16, False, False),
    "h2": ("楷体标题", "楷体_GB2312", "Times New Roman", 16, False, False),
    "body": ("仿宋正文", "仿宋_GB2312", "Times New Roman", 16, False, False),
    "note": ("仿宋居中", "仿宋_GB2312", "Times New Roman", 16, False, True),
}


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (enough for any report's sections)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def heading_number(t: Tr, level: int, n: int) -> str:
    """一、 （一） 1. in Chinese, as the seed numbers them; 1. (1) 1) in English."""
    if t.locale == "zh_CN":
        return (f"{cn_number(n)}、", f"（{cn_number(n)}）", f"{n}.")[level - 1]
    return (f"{n}. ", f"({n}) ", f"{n}) ")[level - 1]


def _define(doc: Any, key: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    name, cjk, latin, size, bold, centred = STYLES[key]
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.font.name = latin
    style.font.size = Pt(size)
    style.font.bold = bold
    # Word picks the East Asian font from its own attribute; without it Chinese falls back to 宋体
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), cjk)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(36 if key == "title" else 28)  # 28 points: the official 22 lines a page
    fmt.space_before = fmt.space_after = Pt(0)
    if centred:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif key != "h1":
        fmt.first_line_indent = Pt(size * 2)  # two characters


def _page_number(section: Any) -> None:
    """A centred “— 1 —” footer carrying Word's PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    para._p.append(field)
    para.add_run(" —")  # appended after the field


def official_document() -> Any:
    """An empty A4 document with the official margins, styles and page numbers."""
    from docx import Document as new_document
    from docx.shared import Mm

    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    for key in STYLES:
        _define(doc, key)
    _page_number(section)
    return doc


def para(doc: Any, key: str, text: str) -> Any:
    """Add a paragraph in one of the defined styles."""
    return doc.add_paragraph(text, style=STYLES[key][0])


def picture(doc: Any, png: bytes, width_mm: float = 150) -> None:
    """Add a PNG image (the chart) at the given width."""
    from docx.shared import Mm

    doc.add_picture(io.BytesIO(png), width=Mm(width_mm))


def align_right(paragraph: Any) -> Any:
    """Right-align a paragraph (a letter's signature and date)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def table(doc: Any, header: list[str], rows: list[list[str]]) -> Any:
    """A ruled table, each cell centred in 仿宋 (a circular's ranking)."""
    grid = doc.add_table(rows=0, cols=len(header))
    grid.style = "Table Grid"
    for cells in (header, *rows):
        row = grid.add_row().cells
        for cell, text in zip(row, cells, strict=True):
            cell.paragraphs[0].text = text
            cell.paragraphs[0].style = STYLES["note"][0]
    return grid


def heading(doc: Any, t: Tr, level: int, n: int, text: str) -> Any:
    """A numbered heading: 一、text (黑体) or （一）text (楷体)."""
    return para(doc, "h1" if level == 1 else "h2", heading_number(t, level, n) + text)


def to_bytes(doc: Any) -> bytes:
    """The .docx bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
