"""Ledgers as offices keep them: title rows, cover sheets, merged cells, words, people, limits."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from test_ledger_parse import EN_HEADER, Table, csv_bytes, found, only, row

from core.domain.ledger import LedgerIssue, ParsedLedger, Problem, parse_ledger
from core.domain.ledger_dates import parse_deadline
from core.domain.ledger_people import parse_people
from core.domain.ledger_words import parse_status, visible
from core.domain.lights import light
from core.domain.model import Light, MeasureFacts, Status, code_key
from core.i18n import tr
from core.render.ledger import issues_text
from core.render.measures import deadline as deadline_label

ZH_HEADER = ["序号", "编号", "方面", "反馈问题", "整改举措", "分管领导", "牵头部门", "协办单位"]
ZH_HEADER += ["具体责任人", "完成时间", "完成情况", "进展情况"]


def book(sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> bytes:
    """An XLSX workbook with these sheets (first one first) and merged ranges."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, table in sheets.items():
        ws = wb.create_sheet(title)
        for r, values in enumerate(table, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for rng in (merges or {}).get(title, []):
            ws.merge_cells(rng)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def office_ledger() -> list[list[Any]]:
    """A district office's ledger: title, 填报 line, header on row 3, merged areas, a note."""
    return [
        ["某区巡察反馈问题整改台账"],
        ["填报单位：区委办公室", None, None, None, None, None, None, None, "填报时间：2024年9月30日"],
        ZH_HEADER,
        [1, "Ａ－０１", "党的建设方面", "制度执行不严", "修订制度", "王副区长（分管党建）",
         "区委办", "组织部、宣传部", "周强（13800001111）", "立行立改", "正在推进", "已起草"],
        [2, "A-02", None, None, "开展培训", "王副区长（分管党建）", "区委办", "",
         "赵敏、孙磊", "2024年第三季度", "正在整改", ""],
        [None] * 12,
        [3, "A-10", None, "台账不全", "补齐台账", "", "组织部", "", "孙磊",
         "2024年底前", "未完成", "补齐60%"],
        [4, "XC1-2", "作风建设方面", "会风不实", "精简会议", "", "区委办", "", "李华",
         "长期坚持", "", ""],
        [5, "2024-审-07", "作风建设方面", "会风不实", "压减文件", "", "区委办", "", "李华",
         datetime(2024, 12, 31, 0, 0), "已整改", ""],
        [6, "F-4", "财务管理方面", "报销不规范", "规范报销", "", "财政局", "", "钱七 电话13900002222",
         "2024.9.30", "已办结", ""],
        ["备注：1.完成时限以区委批复为准。"],
        [None, None, "此行之后的内容不是台账"],
    ]  # fmt: skip


OFFICE_MERGES = ["C4:C7", "D4:D5"]


def parsed_office(**kw: Any) -> ParsedLedger:
    cover = [["填表说明"], ["请按要求填写整改台账，不要改动表头。"]]
    data = book({"封面": cover, "整改台账": office_ledger()}, {"整改台账": OFFICE_MERGES})
    return parse_ledger(data, "台账.xlsx", **kw)


def test_office_ledger_imports_as_kept() -> None:
    parsed = parsed_office()
    assert parsed.issues == () and parsed.sheet == "整改台账"
    got = {r.code: r for r in parsed.rows}
    assert list(got) == ["A-01", "A-02", "A-10", "XC1-2", "2024-审-07", "F-4"]
    # rows keep the spreadsheet's numbers; the blank row 6 is skipped
    assert [r.row for r in parsed.rows] == [4, 5, 7, 8, 9, 10]
    # merged 方面 and 问题 count in every row they cover
    assert [r.area for r in parsed.rows[:3]] == ["党的建设方面"] * 3
    assert [r.problem for r in parsed.rows[:3]] == ["制度执行不严", "制度执行不严", "台账不全"]
    a1, a2, a10 = got["A-01"], got["A-02"], got["A-10"]
    assert (a1.immediate, a1.deadline, a1.status) == (True, None, Status.IN_PROGRESS)
    assert (a1.owner, a1.contacts) == ("周强", (("周强", "13800001111"),))
    assert a1.leader == "王副区长（分管党建）" and a1.co_units == ("组织部", "宣传部")
    assert a1.progress == "已起草"
    assert (a2.owner, a2.co_owners, a2.deadline) == ("赵敏", ("孙磊",), date(2024, 9, 30))
    assert a2.status is Status.IN_PROGRESS
    assert got["2024-审-07"].status is Status.CLOSED
    assert (a10.deadline, a10.status, a10.progress) == (
        date(2024, 12, 31),
        Status.IN_PROGRESS,
        "补齐60%",
    )
    assert (got["XC1-2"].deadline, got["XC1-2"].status) == (None, Status.LONG_TERM)
    assert got["2024-审-07"].deadline == date(2024, 12, 31)
    assert got["F-4"].contacts == (("钱七", "13900002222"),)
    assert (got["F-4"].deadline, got["F-4"].status) == (date(2024, 9, 30), Status.CLOSED)


def test_two_matching_sheets_ask_which_and_sheet_picks_one() -> None:
    data = book({"一月": office_ledger(), "二月": office_ledger()}, {"二月": OFFICE_MERGES})
    parsed = parse_ledger(data, "l.xlsx")
    assert only(parsed).problem is Problem.SEVERAL_SHEETS and parsed.sheets == ("一月", "二月")
    assert parse_ledger(data, "l.xlsx", sheet="二月").ok
    # unmerged, 一月 lacks areas under row 4: the errors name its rows
    assert found(parse_ledger(data, "l.xlsx", sheet="一月")) == {
        (5, "area", Problem.MISSING_VALUE),
        (5, "problem", Problem.MISSING_VALUE),
        (7, "area", Problem.MISSING_VALUE),
    }
    missing = parse_ledger(data, "l.xlsx", sheet="三月")
    assert only(missing) == LedgerIssue(None, None, Problem.NO_SUCH_SHEET, "一月、二月")


def test_header_beyond_twenty_rows_is_not_found() -> None:
    table: Table = [["title"]] * 20 + [EN_HEADER, row()]
    assert (1, "code", Problem.MISSING_COLUMN) in found(parse_ledger(csv_bytes(table), "l.csv"))
    assert parse_ledger(csv_bytes(table[1:]), "l.csv").ok


def test_a_row_with_data_but_no_required_values_is_still_an_error() -> None:
    table: Table = [EN_HEADER, row("1"), ["", "", "", "", "", "", "stray", "", "", ""], row("2")]
    assert found(parse_ledger(csv_bytes(table), "l.csv")) == {
        (3, c, Problem.MISSING_VALUE)
        for c in ("code", "area", "problem", "measure", "lead_unit", "owner", "deadline")
    }
    # a single-cell line that is not a note is not a table end either
    table = [EN_HEADER, row("1"), ["Total: 2"], row("2")]
    assert (3, "area", Problem.MISSING_VALUE) in found(parse_ledger(csv_bytes(table), "l.csv"))


def test_full_width_code_equals_half_width_and_is_a_duplicate() -> None:
    parsed = parse_ledger(csv_bytes([EN_HEADER, row("A-01"), row("Ａ－０１")]), "l.csv")
    assert only(parsed) == LedgerIssue(3, "code", Problem.DUPLICATE_CODE, "Ａ－０１")


def test_invisible_characters_are_removed_and_shown_when_refused() -> None:
    table: Table = [EN_HEADER, row("1.1", owner="张三\u200b"), row("1.1\u200b", owner="\ufeff张三")]
    parsed = parse_ledger(csv_bytes(table), "l.csv")
    assert only(parsed) == LedgerIssue(3, "code", Problem.DUPLICATE_CODE, "1.1<U+200B>")
    ok = parse_ledger(
        csv_bytes([EN_HEADER, row("1.1\u00a0", owner="张三\u200b", lead_unit="办\u200b")]), "l.csv"
    )
    r = ok.rows[0]
    assert (r.code, r.owner, r.lead_unit) == ("1.1", "张三", "办")
    assert visible("a\x00b\u00a0") == "a<U+0000>b<U+00A0>"


def test_nul_and_control_characters_are_removed() -> None:
    parsed = parse_ledger(
        csv_bytes([EN_HEADER, row("1.1", measure="Do\x00 it\x07", owner="Ann\x1b")]), "l.csv"
    )
    r = parsed.rows[0]
    assert (r.measure, r.owner) == ("Do it", "Ann")


@pytest.mark.parametrize(
    ("column", "length", "limit"),
    [("code", 51, 50), ("lead_unit", 301, 300), ("owner", 301, 300), ("measure", 2001, 2000)],
)
def test_limits_equal_the_columns(column: str, length: int, limit: int) -> None:
    parsed = parse_ledger(csv_bytes([EN_HEADER, row(**{column: "x" * length})]), "l.csv")
    assert only(parsed) == LedgerIssue(2, column, Problem.TOO_LONG, f"{length}/{limit}")
    assert parse_ledger(csv_bytes([EN_HEADER, row(**{column: "x" * limit})]), "l.csv").ok


def test_unclosed_quote_names_the_row_where_it_starts() -> None:
    text = "\r\n".join(",".join(r) for r in [EN_HEADER, row("1"), row("2")])  # type: ignore[arg-type]
    data = (
        text + '\r\n3,"Area,P,M,L,U,C,O,2024-09-30,\r\n4,A,P,M,L,U,C,O,2024-09-30,\r\n'
    ).encode()
    assert only(parse_ledger(data, "l.csv")) == LedgerIssue(4, None, Problem.UNCLOSED_QUOTE)
    message = issues_text(tr("en"), parse_ledger(data, "l.csv"), "l.csv")
    assert "unclosed quote starting at row 4" in message
    assert "第4行开始的引号未闭合" in issues_text(tr("zh_CN"), parse_ledger(data, "l.csv"), "l.csv")


def test_formula_without_a_value_is_named_by_row_and_column() -> None:
    data = book({"S": [EN_HEADER, row("1"), row("2", deadline="=DATE(2024,9,30)")]})
    parsed = parse_ledger(data, "l.xlsx")
    assert only(parsed) == LedgerIssue(3, "deadline", Problem.FORMULA_NO_VALUE, "I3")
    text = issues_text(tr("en"), parsed, "l.xlsx")
    assert (
        "• row 3, Deadline: holds a formula without a value — save the file in Excel and send it again (I3)"
        in text
    )


def test_errors_say_what_to_do_in_both_languages() -> None:
    header = [h for h in EN_HEADER if h != "Owner"]
    parsed = parse_ledger(csv_bytes([header, row()[:7] + row()[8:]]), "l.csv")
    assert "name a column one of: 责任人, 联络员, 具体责任人, 联系人, or owner" in issues_text(
        tr("en"), parsed, "l.csv"
    )
    bad = parse_ledger(csv_bytes([EN_HEADER, row(status="maybe", deadline="soon")]), "l.csv")
    zh = issues_text(tr("zh_CN"), bad, "l.csv")
    assert "可识别的状态：" in zh and "已办结" in zh and "2024年第三季度" in zh
    en = issues_text(tr("en"), bad, "l.csv")
    assert "Statuses understood:" in en and "Deadlines understood:" in en


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024年12月底前", date(2024, 12, 31)),
        ("2024年12月底", date(2024, 12, 31)),
        ("2024年底前", date(2024, 12, 31)),
        ("2024年第三季度", date(2024, 9, 30)),
        ("2024年第1季度", date(2024, 3, 31)),
        ("2024年四季度末", date(2024, 12, 31)),
        ("2024Q2", date(2024, 6, 30)),
        ("2024.9.30", date(2024, 9, 30)),
        ("2024年10月", date(2024, 10, 31)),
        ("持续推进", None),
        (datetime(2024, 9, 30, 17, 30), date(2024, 9, 30)),
    ],
)
def test_deadline_words(value: object, expected: date | None) -> None:
    assert parse_deadline(value) == expected


@pytest.mark.parametrize("value", ["2024年", "2024年第五季度", "2024年13月底", "下月"])
def test_deadline_words_refused(value: str) -> None:
    with pytest.raises(ValueError):
        parse_deadline(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("已整改", Status.CLOSED),
        ("已办结", Status.CLOSED),
        ("正在整改", Status.IN_PROGRESS),
        ("未完成", Status.IN_PROGRESS),
    ],
)
def test_status_words(value: str, expected: Status) -> None:
    assert parse_status(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("周强（13800001111）", (("周强", "13800001111"),)),
        ("周强(联络员)", (("周强", ""),)),
        ("赵敏、孙磊", (("赵敏", ""), ("孙磊", ""))),
        ("张  三 手机：13800001111", (("张三", "13800001111"),)),
        ("王五（0571-88886666）；赵敏", (("王五", "0571-88886666"), ("赵敏", ""))),
        ("Office liaison", (("Office liaison", ""),)),
    ],
)
def test_people_in_an_owner_cell(value: str, expected: tuple[tuple[str, str], ...]) -> None:
    assert parse_people(value) == expected


def test_immediate_deadline_and_long_term_statuses() -> None:
    table: Table = [
        EN_HEADER,
        row("1", deadline="立行立改", status=""),
        row("2", deadline="长期坚持", status=""),
    ]
    r1, r2 = parse_ledger(csv_bytes(table), "l.csv").rows
    assert (r1.immediate, r1.deadline, r1.status) == (True, None, Status.NOT_STARTED)
    assert (r2.immediate, r2.deadline, r2.status) == (False, None, Status.LONG_TERM)


def test_immediate_is_shown_as_such_and_red_a_week_later() -> None:
    m = MeasureFacts(
        code="A-01", text="t", area_number=1, area="a", problem="p", leader="", lead_unit="u",
        owner="o", deadline=date(2024, 9, 30), status=Status.IN_PROGRESS, immediate=True,
    )  # fmt: skip
    assert deadline_label(tr("zh_CN"), m) == "立行立改"
    assert deadline_label(tr("en"), m) == "immediate"
    assert light(m, date(2024, 10, 6)) is Light.YELLOW
    assert light(m, date(2024, 10, 7)) is Light.RED


def test_codes_sort_naturally() -> None:
    codes = ["1.2.10", "A-10", "1.2.9", "A-2", "1.10", "1.9"]
    assert sorted(codes, key=code_key) == ["1.2.9", "1.2.10", "1.9", "1.10", "A-2", "A-10"]


def test_sample_style_cover_sheet_is_skipped(tmp_path: Path) -> None:
    data = book({"说明": [["本表由整改专班汇总"]], "台账": [EN_HEADER, row("1")]})
    parsed = parse_ledger(data, "l.xlsx")
    assert parsed.ok and parsed.sheet == "台账"
