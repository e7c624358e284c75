"""Invite links as a workbook (person, unit, role, link): easy to forward or mail-merge."""

from __future__ import annotations

import io
from collections.abc import Sequence

from core.i18n import Tr
from core.render.xlsx import put, text_width

MAX_WIDTH = 60


def invites_workbook(t: Tr, rows: Sequence[tuple[str, str, str, str]]) -> bytes:
    """One row per invite: person, unit, role, link."""
    from openpyxl import Workbook  # not at start: the bot loads openpyxl at its first workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = t._("Invite links")[:31]
    header = [t._("Person"), t._("Unit"), t._("Role"), t._("Link")]
    widths = [text_width(h) for h in header]
    for col, name in enumerate(header, start=1):
        put(ws, 1, col, name)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            put(ws, r, col, value)  # text from the ledger: formula-like text stays text
            widths[col - 1] = max(widths[col - 1], text_width(value))
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + col)].width = min(width + 2, MAX_WIDTH)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
