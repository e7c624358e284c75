"""The ledger workbook: contents against the ledger, styling, formula escaping, round trip."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import openpyxl
from documents_support import AS_OF, sample_records, sample_rows

from core.domain import documents
from core.domain.ledger import parse_ledger
from core.domain.model import Status
from core.i18n import tr
from core.render.xlsx import ledger_workbook, text_width

HEADER_ZH = (
    "编号", "方面", "问题", "整改措施", "责任领导", "牵头单位", "责任单位", "责任人", "完成时限",
    "原完成时限", "状态", "红黄绿灯", "最新进展", "进展日期", "佐证资料（份）", "销号日期",
)  # fmt: skip


def _book(rows: list[documents.Record], locale: str = "zh_CN") -> openpyxl.Workbook:
    content = documents.ledger("巡视整改", rows, AS_OF)
    return openpyxl.load_workbook(io.BytesIO(ledger_workbook(tr(locale), content)))


def test_ledger_sheet_has_one_row_per_measure_in_ledger_order() -> None:
    rows = sample_records()
    book = _book(rows)
    assert book.sheetnames == ["整改台账", "汇总", "制度成果清单"]
    ws = book["整改台账"]
    assert ws["A1"].value == "巡视整改台账（截至2024年9月30日）"
    assert tuple(c.value for c in ws[2]) == HEADER_ZH
    codes = [ws.cell(row=r, column=1).value for r in range(3, ws.max_row + 1)]
    assert codes == [r.facts.code for r in rows] and len(codes) == 42
    statuses = [ws.cell(row=r, column=11).value for r in range(3, ws.max_row + 1)]
    assert statuses.count("已销号") == 35 and statuses.count("推进中") == 7
    noted = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=13).value)
    assert ws.cell(row=noted, column=13).value == "已完成初稿，正在征求意见"
    assert ws.cell(row=noted, column=14).value == datetime(2024, 9, 23)
    assert ws.cell(row=noted, column=15).value == 2
    assert ws.cell(row=noted, column=12).value == "绿灯"


def test_dates_are_date_cells_and_the_sheet_is_styled() -> None:
    ws = _book(sample_records())["整改台账"]
    deadline, closed = ws["I3"], ws["P3"]
    assert deadline.is_date and deadline.value == datetime(2024, 6, 30)
    assert closed.is_date and closed.value == datetime(2024, 9, 15)
    assert "年" in deadline.number_format
    assert ws["A2"].font.b and ws.freeze_panes == "A3"
    assert ws.auto_filter.ref == "A2:P44"
    assert ws["D3"].alignment.wrap_text
    # a Chinese measure text needs a wide column; a code column stays narrow
    assert ws.column_dimensions["D"].width >= 40 > ws.column_dimensions["A"].width
    green = next(ws.cell(row=r, column=12) for r in range(3, 45) if ws.cell(row=r, column=12).value)
    assert green.fill.fgColor.rgb.endswith("C6EFCE")
    assert text_width("整改") == 4 and text_width("ab") == 2


def test_lights_and_long_term_and_summary_counts() -> None:
    rows = sample_records()
    late = replace(
        rows[40],
        facts=replace(
            rows[40].facts, deadline=date(2024, 9, 1), status=Status.IN_PROGRESS, closed_on=None
        ),
    )
    ongoing = replace(
        rows[41],
        facts=replace(rows[41].facts, deadline=None, status=Status.LONG_TERM, closed_on=None),
    )
    kept = [*rows[:40], late, ongoing]
    closed = sum(r.facts.status is Status.CLOSED for r in kept)
    book = _book(kept)
    ws = book["整改台账"]
    assert ws["L43"].value == "红灯" and ws["L43"].fill.fgColor.rgb.endswith("FFC7CE")
    assert ws["I44"].value == "长期坚持" and ws["K44"].value == "长期坚持"
    summary = book["汇总"]
    cells = [[c.value for c in row] for row in summary.iter_rows(min_row=1)]
    assert cells[0][0] == "巡视整改汇总（截至2024年9月30日）"
    assert cells[2][:7] == ["序号", "方面", "措施总数", "已完成", "正在推进", "逾期", "按期完成率"]
    areas = cells[3:7]
    assert [a[0] for a in areas] == [1, 2, 3, 4]
    assert sum(a[2] for a in areas) == 42 and sum(a[3] for a in areas) == closed
    assert sum(a[5] for a in areas) == 1
    unit_header = next(i for i, row in enumerate(cells) if row[0] == "牵头单位")
    units = [row for row in cells[unit_header + 1 :] if row[0]]
    assert sum(u[1] for u in units) == 42 and sum(u[4] for u in units) == 1
    assert units[0][6] == "—"  # no dispatch yet: no answer rate


def test_formula_like_text_is_stored_as_text() -> None:
    rows = sample_records()
    evil = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"]
    crafted = [
        replace(r, facts=replace(r.facts, text=text)) for r, text in zip(rows, evil, strict=False)
    ]
    ws = _book(crafted + rows[len(evil) :])["整改台账"]
    for i, text in enumerate(evil, start=3):
        cell = ws.cell(row=i, column=4)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    assert not ws["D10"].quotePrefix


def test_round_trip_gives_the_same_ledger() -> None:
    for name, locale in (("ledger.zh.csv", "zh_CN"), ("ledger.en.csv", "en")):
        original = sample_rows(name)
        content = documents.ledger("P", sample_records(name), AS_OF)
        data = ledger_workbook(tr(locale), content)
        again = parse_ledger(data, "export.xlsx")
        assert again.ok, again.issues
        # the latest progress column reads back as each measure's progress note
        notes = {r.facts.code: r.extras.note for r in content.records}
        strip = [replace(r, row=0, progress=notes[r.code]) for r in original]
        assert [replace(r, row=0) for r in again.rows] == strip


def test_the_ledger_prints_as_offices_print_it() -> None:
    ws = _book(sample_records())["整改台账"]
    setup = ws.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", 8)  # 8: A3
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert ws.print_title_rows == "$1:$2"
    assert ws.oddHeader.center.text == "巡视整改台账（截至2024年9月30日）"
