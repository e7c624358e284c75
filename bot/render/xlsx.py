"""The ledger workbook (整改台账): one row per measure and a summary sheet; pure, returns bytes.

openpyxl (about 20 MB with numpy, which it loads when present) is imported inside the functions
that build a workbook: the bot process pays for it at the first export, not at start.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from bot.domain.documents import LedgerContent, Record
from bot.domain.lights import light
from bot.domain.model import Light
from bot.domain.report import Group
from bot.i18n import N_, Tr
from bot.render import labels

# a text cell starting with one of these is what spreadsheets run as a formula (CSV/Excel injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# control characters XML 1.0 cannot hold; openpyxl refuses them, so they are dropped
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FILLS = {Light.RED: "FFC7CE", Light.YELLOW: "FFEB9C", Light.GREEN: "C6EFCE"}  # the fill colours
HEADER_FILL = "DDEBF7"
MAX_WIDTH = {"problem": 30, "measure": 48, "note": 40, "area": 24}
DATE_FORMAT = {"zh_CN": 'yyyy"年"m"月"d"日"', "en": "d mmmm yyyy"}

Cell = str | int | float | date | None
Column = tuple[str, str, Callable[[Tr, Record], Cell]]


def _long_term(t: Tr, r: Record) -> Cell:
    return r.facts.deadline or t._("long-term")


def _light(t: Tr, r: Record, today: date) -> str:
    lit = light(r.facts, today)
    return t._(labels.LIGHT[lit]) if lit else ""


COLUMNS: list[Column] = [
    ("code", N_("Code"), lambda t, r: r.facts.code),
    ("area", N_("Area"), lambda t, r: r.facts.area),
    ("problem", N_("Problem"), lambda t, r: r.facts.problem),
    ("measure", N_("Measure"), lambda t, r: r.facts.text),
    ("leader", N_("Responsible leader"), lambda t, r: r.facts.leader),
    ("lead_unit", N_("Lead unit"), lambda t, r: r.facts.lead_unit),
    ("co_units", N_("Co-units"), lambda t, r: "、".join(r.facts.co_units)),
    ("owner", N_("Owner"), lambda t, r: r.facts.owner),
    ("deadline", N_("Deadline"), _long_term),
    ("original", N_("Original deadline"), lambda t, r: r.extras.original_deadline),
    ("status", N_("Status"), lambda t, r: labels.status(t, r.facts.status)),
    ("light", N_("Light"), lambda t, r: None),  # filled per row: it depends on the day
    ("note", N_("Latest progress"), lambda t, r: r.extras.note),
    ("noted_on", N_("Progress date"), lambda t, r: r.extras.noted_on),
    ("evidence", N_("Evidence files"), lambda t, r: r.extras.evidence),
    ("closed_on", N_("Closing date"), lambda t, r: r.closed_on),
]


def text_width(value: object) -> int:
    """Columns a value takes on screen: wide (Chinese) characters count twice."""
    text = value.isoformat() if isinstance(value, date) else str(value or "")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def put(ws: Any, row: int, column: int, value: Cell) -> Any:
    """Write one cell; text that would run as a formula is stored as plain text."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL.sub("", value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # a string cell is never evaluated; the quote prefix keeps Excel from evaluating it on edit
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _title(ws: Any, text: str, width: int) -> None:
    from openpyxl.styles import Font

    put(ws, 1, 1, text).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 24


def _header(ws: Any, row: int, names: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor=HEADER_FILL)
    for i, name in enumerate(names, start=1):
        cell = put(ws, row, i, name)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _fit(ws: Any, widths: dict[int, int], caps: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(
            max(width + 2, 6), caps.get(col, 24)
        )


def _ledger_sheet(t: Tr, ws: Any, content: LedgerContent) -> None:
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {lit: PatternFill("solid", fgColor=colour) for lit, colour in FILLS.items()}
    names = [t._(msgid) for _, msgid, _ in COLUMNS]
    title = t._(
        "{programme} · ledger as of {date}", programme=content.programme, date=t.date(content.as_of)
    )
    _title(ws, title, len(COLUMNS))
    _header(ws, 2, names)
    widths = {i: text_width(n) for i, n in enumerate(names, start=1)}
    date_format = DATE_FORMAT.get(t.locale, "yyyy-mm-dd")
    for r_index, record in enumerate(content.records, start=3):
        for c_index, (key, _, get) in enumerate(COLUMNS, start=1):
            value = _light(t, record, content.as_of) if key == "light" else get(t, record)
            cell = put(ws, r_index, c_index, value)
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = date_format
            if key == "light" and (lit := light(record.facts, content.as_of)) is not None:
                cell.fill = fills[lit]
            widths[c_index] = max(widths[c_index], text_width(value))
    caps = {i: MAX_WIDTH.get(key, 24) for i, (key, _, _) in enumerate(COLUMNS, start=1)}
    _fit(ws, widths, caps)
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(len(content.records) + 2, 3)}"


def _rate(value: float | None) -> float | str:
    return value if value is not None else "—"


def _group_rows(ws: Any, row: int, groups: Sequence[Group], *, area: bool) -> int:
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    for g in groups:
        c = g.counts
        cells: list[Cell] = [g.key, c.total, c.closed, c.on_schedule, c.overdue]
        cells += [_rate(g.on_time_rate)]
        cells = [g.number, *cells] if area else [*cells, _rate(g.answer_rate)]
        for i, value in enumerate(cells, start=1):
            cell = put(ws, row, i, value)
            cell.alignment = wrap
            if isinstance(value, float):
                cell.number_format = "0%"
        row += 1
    return row


def _summary_sheet(t: Tr, ws: Any, content: LedgerContent) -> None:
    from openpyxl.styles import Font

    counts = [t._("Total"), t._("Closed"), t._("In progress"), t._("Overdue"), t._("On-time rate")]
    area_head = [t._("No."), t._("Area"), *counts]
    unit_head = [t._("Lead unit"), *counts, t._("Answer rate")]
    title = t._(
        "{programme} · summary as of {date}",
        programme=content.programme,
        date=t.date(content.as_of),
    )
    _title(ws, title, len(unit_head))
    put(ws, 2, 1, t._("By area")).font = Font(bold=True)
    _header(ws, 3, area_head)
    row = _group_rows(ws, 4, content.areas, area=True)
    put(ws, row + 1, 1, t._("By lead unit")).font = Font(bold=True)
    _header(ws, row + 2, unit_head)
    _group_rows(ws, row + 3, content.units, area=False)
    widths = {1: max([8, *(text_width(g.key) for g in content.units)]), 2: 30}
    _fit(ws, widths | {i: 10 for i in range(3, 9)}, {1: 30, 2: 30})


def ledger_workbook(t: Tr, content: LedgerContent) -> bytes:
    """The XLSX bytes: sheet 整改台账 (one row per measure) and sheet 汇总 (counts)."""
    from openpyxl import Workbook

    book = Workbook()
    ledger_ws = book.active
    ledger_ws.title = t._("Ledger")
    _ledger_sheet(t, ledger_ws, content)
    _summary_sheet(t, book.create_sheet(t._("Summary")), content)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
