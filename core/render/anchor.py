"""The audit chain's anchor as people keep it: one line in chat, a footer line in the DOCX."""

from __future__ import annotations

import io

from core.domain.chain import Anchor
from core.i18n import Tr


def anchor_line(t: Tr, anchor: Anchor) -> str:
    """The chain's event count and head, short, for the monthly report's message and /status."""
    return t._(
        "Audit trail: {count} events, head {head}.", count=str(anchor.count), head=anchor.short
    )


def with_anchor_footer(document: bytes, t: Tr, anchor: Anchor) -> bytes:
    """The DOCX with the full head under each page's number: the anchor `verify-audit --head`
    checks (a printed or filed report keeps it outside the database)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document(io.BytesIO(document))
    for section in doc.sections:
        para = section.footer.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(
            t._(
                "Audit trail: {count} events, head {head}.",
                count=str(anchor.count),
                head=anchor.head,
            )
        )
        run.font.size = Pt(8)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
