"""The published progress report (整改进展情况) as a Word document in official style; pure."""

from __future__ import annotations

from typing import Any

from core.domain.progress_report import ProgressReport
from core.i18n import Tr
from core.render.docx_base import STYLES, align_right, official_document, para, to_bytes
from core.render.progress_words import Block, blocks


def _lead(paragraph: Any, text: str) -> None:
    """A lead phrase in the body's paragraph set in 楷体, as the seed sets （一）提高站位抓整改。"""
    from docx.oxml.ns import qn

    run = paragraph.add_run(text)
    _, cjk, latin, *_ = STYLES["h2"]
    run.font.name = latin
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), cjk)


def _write(doc: Any, block: Block) -> None:
    if block.style == "sign":
        paragraph = align_right(para(doc, "body", block.text))
        paragraph.paragraph_format.first_line_indent = 0
        return
    if not block.lead:
        para(doc, block.style, block.text)
        return
    paragraph = para(doc, "body", "")
    if block.lead.startswith(("（", "(")):
        _lead(paragraph, block.lead)
    else:  # 1. 2. 3.: the problem's name runs on in the body's own font
        paragraph.add_run(block.lead)
    paragraph.add_run(block.text)


def progress_docx(t: Tr, r: ProgressReport, programme: str) -> bytes:
    """The report: title, preamble, 一、 to 四、, the supervision paragraph and the signature."""
    doc = official_document()
    for block in blocks(t, r, programme):
        _write(doc, block)
    return to_bytes(doc)
