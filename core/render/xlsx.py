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

from core.domain.documents import LedgerContent, Record
from core.domain.lights import light
from core.domain.model import Light
from core.domain.report import Group
from core.i18n import N_, Tr
from core.render import labels

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
    if r.facts.immediate and r.facts.original_deadline is None:
        return t._("immediate")  # as the office wrote it, until an extension dates it
    return r.facts.deadline or t._("long-term")


def _light(t: Tr, r: Record, today: date) -> str:
    lit = light(r.facts, today)
    return t._(labels.LIGHT[lit]) if lit else ""


COLUMNS: list[Column] = [
    ("code", N_("Code"), lambda t, r: r.facts.code),
    ("area", N_("Area"), lambda t, r: r.facts.area),
    ("problem", N_("Problem"), lambda t, r: r.facts.problem),
    ("measure", N_("Measure"), lambda t, r: r.facts.text),
    ("leader", N_("Responsible leader"), lambda t, r: r.extras.leaders or r.facts.leader),
    ("lead_unit", N_("Lead unit"), lambda t, r: r.facts.lead_unit),
    ("co_units", N_("Co-units"), lambda t, r: "、".join(r.facts.co_units)),
    ("owner", N_("Owner"), lambda t, r: r.extras.owners or r.facts.owner),
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
    if text.isascii():  # no ASCII character is wide
        return len(text)
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


def _styled(ws: Any, **style: Any) -> Callable[[Cell], Any]:
    """A maker of write-only cells in one style; text that would run as a formula stays text."""
    from copy import copy

    from openpyxl.cell.cell import Cell as SheetCell

    proto = SheetCell(ws, 1, 1)
    for name, value in style.items():
        setattr(proto, name, value)
    # the style's index array, looked up once: setting a style per cell hashes it 160,000 times
    array = proto._style

    def make(value: Cell) -> Any:
        if isinstance(value, str):
            value = ILLEGAL.sub("", value)
        # cells share the array (nothing changes it once written) unless one needs its own
        cell = SheetCell(ws, 1, 1, value, array)
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell._style = copy(array)
            # a string cell is never evaluated; the quote prefix keeps Excel from evaluating it on edit
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell

    return make


def _wrap() -> Any:
    from openpyxl.styles import Alignment

    return Alignment(wrap_text=True, vertical="top")


def _title(ws: Any, text: str, width: int) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.row_dimensions[1].height = 24  # before the row: a write-only sheet writes it at once
    ws.append([_styled(ws, font=Font(bold=True, size=14))(text)])
    ws.merged_cells.add(f"A1:{get_column_letter(width)}1")


def _print_setup(ws: Any, title: str) -> None:
    """Printed as offices print a ledger: landscape A3, as wide as the page, the title in the
    page header and the title and header rows again on every page."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # before the rows: written at the sheet's top
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # 0: as many pages down as needed
    ws.print_title_rows = "1:2"
    ws.oddHeader.center.text = title


def _header(ws: Any, row: int, names: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    make = _styled(ws, font=Font(bold=True), fill=fill, alignment=align)
    ws.append([make(name) for name in names])


def _fit(ws: Any, widths: dict[int, int], caps: dict[int, int]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(
            max(width + 2, 6), caps.get(col, 24)
        )


def _ledger_sheet(t: Tr, ws: Any, content: LedgerContent) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    names = [t._(msgid) for _, msgid, _ in COLUMNS]
    title = t._(
        "{programme} · ledger as of {date}",
        programme=t.stem(content.programme),
        date=t.date(content.as_of),
    )
    widths = {i: text_width(n) for i, n in enumerate(names, start=1)}
    # a write-only sheet streams rows: widths, panes and styles are settled before the first
    rows: list[list[Cell]] = []
    caps = {i: MAX_WIDTH.get(key, 24) for i, (key, _, _) in enumerate(COLUMNS, start=1)}
    lights = []
    for record in content.records:
        lit = light(record.facts, content.as_of)
        lights.append(lit)
        values = [
            (t._(labels.LIGHT[lit]) if lit else "") if key == "light" else get(t, record)
            for key, _, get in COLUMNS
        ]
        for c_index, value in enumerate(values, start=1):
            if widths[c_index] + 2 < caps[c_index]:  # a column at its cap is as wide as it gets
                widths[c_index] = max(widths[c_index], text_width(value))
        rows.append(values)
    _fit(ws, widths, caps)
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(len(content.records) + 2, 3)}"
    _print_setup(ws, title)
    _title(ws, title, len(COLUMNS))
    _header(ws, 2, names)
    wrap = _wrap()
    plain = _styled(ws, alignment=wrap)
    dated = _styled(ws, alignment=wrap, number_format=DATE_FORMAT.get(t.locale, "yyyy-mm-dd"))
    lit_cell = {
        lit: _styled(ws, alignment=wrap, fill=PatternFill("solid", fgColor=colour))
        for lit, colour in FILLS.items()
    }
    at = [key for key, _, _ in COLUMNS].index("light")
    for values, lit in zip(rows, lights, strict=True):
        cells = [dated(v) if isinstance(v, date) else plain(v) for v in values]
        if lit is not None:
            cells[at] = lit_cell[lit](values[at])
        ws.append(cells)


def _rate(value: float | None) -> float | str:
    return value if value is not None else "—"


def _group_rows(ws: Any, row: int, groups: Sequence[Group], *, area: bool) -> int:
    wrap = _wrap()
    plain = _styled(ws, alignment=wrap)
    rate = _styled(ws, alignment=wrap, number_format="0%")
    for g in groups:
        c = g.counts
        cells: list[Cell] = [g.key, c.total, c.closed, c.on_schedule, c.overdue]
        cells += [_rate(g.on_time_rate)]
        cells = [g.number, *cells] if area else [*cells, _rate(g.answer_rate)]
        ws.append([rate(v) if isinstance(v, float) else plain(v) for v in cells])
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
    widths = {1: max([8, *(text_width(g.key) for g in content.units)]), 2: 30}
    _fit(ws, widths | {i: 10 for i in range(3, 9)}, {1: 30, 2: 30})
    bold = _styled(ws, font=Font(bold=True))
    _title(ws, title, len(unit_head))
    ws.append([bold(t._("By area"))])
    _header(ws, 3, area_head)
    row = _group_rows(ws, 4, content.areas, area=True)
    ws.append([])
    ws.append([bold(t._("By lead unit"))])
    _header(ws, row + 2, unit_head)
    _group_rows(ws, row + 3, content.units, area=False)


def _outcomes_sheet(t: Tr, ws: Any, content: LedgerContent) -> None:
    """制度成果清单: one row per rule recorded for a measure (建章立制), in ledger order."""
    head = [t._("Code"), t._("Area"), t._("Title"), t._("Document number"), t._("Date of issue")]
    head.append(t._("Evidence file"))
    title = t._(
        "{programme} · institutional outcomes as of {date}",
        programme=t.stem(content.programme),
        date=t.date(content.as_of),
    )
    _fit(ws, {1: 10, 2: 24, 3: 40, 4: 28, 5: 16, 6: 30}, {2: 24, 3: 48, 4: 30, 6: 40})
    _title(ws, title, len(head))
    _header(ws, 2, head)
    wrap = _wrap()
    plain = _styled(ws, alignment=wrap)
    dated = _styled(ws, alignment=wrap, number_format=DATE_FORMAT.get(t.locale, "yyyy-mm-dd"))
    for o in content.outcomes:
        cells = [o.code, o.area, o.title, o.number]
        ws.append([*(plain(v) for v in cells), dated(o.issued_on), plain(o.file)])


def ledger_workbook(t: Tr, content: LedgerContent) -> bytes:
    """The XLSX bytes: sheets 整改台账 (one row per measure), 汇总 (counts) and 制度成果清单."""
    from openpyxl import Workbook

    # write-only: rows go straight to the file instead of a grid of 160,000 cell objects
    book = Workbook(write_only=True)
    _ledger_sheet(t, book.create_sheet(t._("Ledger")), content)
    _summary_sheet(t, book.create_sheet(t._("Summary")), content)
    _outcomes_sheet(t, book.create_sheet(t._("List of institutional outcomes")), content)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
