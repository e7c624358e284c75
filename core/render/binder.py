"""The evidence binder's ZIP parts and their index sheet; pure, returns bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence

from core.domain.binder import Entry
from core.i18n import N_, Tr
from core.render.xlsx import DATE_FORMAT, Cell, put, text_width

HEADER = (
    N_("Code"), N_("Measure"), N_("File"), N_("Uploaded by"), N_("Date"), N_("Update"),
    N_("Part"), N_("SHA-256"), N_("Note"),
)  # fmt: skip
TOO_BIG = N_("Over 20 MB: Telegram does not hand it to bots; ask the owner for the file.")
FAILED = N_("Could not be downloaded; ask the owner for the file.")
INDEX = N_("Index")


def index_sheet(
    t: Tr,
    entries: Sequence[Entry],
    paths: Sequence[str],
    part_of: Mapping[int, int],
    failed: Mapping[int, str],
    hashes: Mapping[int, str] | None = None,
) -> bytes:
    """One row per file: measure, file (its path in the ZIP), uploader, date, update, part, its
    SHA-256 (recorded, else computed now; none for a file Telegram would not hand over), note."""
    from openpyxl import Workbook  # not at start: the bot loads openpyxl at its first workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    ws.title = t._(INDEX)
    for col, name in enumerate(HEADER, start=1):
        put(ws, 1, col, t._(name)).font = Font(bold=True)
    for i, e in enumerate(entries):
        note = t._(failed[i]) if i in failed else ""
        values: list[Cell] = [
            e.code,
            e.measure,
            paths[i] if i not in failed else e.name,
            e.uploader,
            e.uploaded_on,
            e.update,
            part_of.get(i),
            e.sha256 or (hashes or {}).get(i),
            note,
        ]
        for col, value in enumerate(values, start=1):
            cell = put(ws, i + 2, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col == 5:
                cell.number_format = DATE_FORMAT.get(t.locale, "yyyy-mm-dd")
    for col, letter in enumerate("ABCDEFGHI", start=1):
        widest = max(
            [
                text_width(t._(HEADER[col - 1])),
                *(text_width(ws.cell(r, col).value) for r in range(2, len(entries) + 2)),
            ]
        )
        ws.column_dimensions[letter].width = min(widest + 2, 40)
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def zip_part(t: Tr, files: Sequence[tuple[str, bytes]], index: bytes) -> bytes:
    """A ZIP with the index sheet at the top and each file in its measure's folder."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{t._(INDEX)}.xlsx", index)
        for path, data in files:
            z.writestr(path, data)
    return buf.getvalue()
