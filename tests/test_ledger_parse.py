"""Ledger file parsing: encodings, layouts, every problem with its row and column."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.domain.ledger import (
    COLUMNS,
    REQUIRED,
    LedgerIssue,
    ParsedLedger,
    Problem,
    parse_deadline,
    parse_ledger,
    parse_status,
    split_units,
)
from core.domain.model import Status

Table = Sequence[Sequence[object]]

# the repo's copy first; the shared folder beside the checkout as a fallback
SAMPLE_DIRS = (
    Path(__file__).resolve().parent / "data",
    Path(__file__).resolve().parents[2] / "shared" / "data",
)
SAMPLE_DIR = next((d for d in SAMPLE_DIRS if (d / "ledger.zh.csv").exists()), None)
needs_samples = pytest.mark.skipif(SAMPLE_DIR is None, reason="sample ledgers not found")

EN_HEADER = ["Code", "Area", "Problem", "Measure", "Responsible leader", "Lead unit"]
EN_HEADER += ["Co-units", "Owner", "Deadline", "Status"]


def sample(name: str) -> bytes:
    assert SAMPLE_DIR is not None
    return (SAMPLE_DIR / name).read_bytes()


def csv_bytes(table: Table, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(table: Table, tmp_path: Path) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, values in enumerate(table, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    return path.read_bytes()


def row(code: object = "1.1.1", **values: object) -> list[object]:
    """An English-header row, valid unless overridden."""
    base: dict[str, object] = {
        "Code": code,
        "Area": "Area one",
        "Problem": "Problem one",
        "Measure": "Do the thing",
        "Responsible leader": "Director",
        "Lead unit": "Office",
        "Co-units": "Bureau A、Bureau B",
        "Owner": "Office liaison",
        "Deadline": "2024-09-30",
        "Status": "In progress",
    }
    base.update({k.replace("_", " ").capitalize(): v for k, v in values.items()})
    return [base[h] for h in EN_HEADER]


def found(parsed: ParsedLedger) -> set[tuple[int | None, str | None, Problem]]:
    return {(i.row, i.column, i.problem) for i in parsed.issues}


def only(parsed: ParsedLedger) -> LedgerIssue:
    assert len(parsed.issues) == 1, parsed.issues
    return parsed.issues[0]


# --- the sample ledgers ---------------------------------------------------------------


@needs_samples
@pytest.mark.parametrize(
    "name", ["ledger.zh.csv", "ledger.en.csv", "ledger.zh.xlsx", "ledger.en.xlsx"]
)
def test_sample_ledgers_parse_completely(name: str) -> None:
    parsed = parse_ledger(sample(name), name)
    assert parsed.issues == ()
    assert parsed.ok
    assert len(parsed.rows) == 42
    assert len({r.area for r in parsed.rows}) == 4
    assert len({(r.area, r.problem) for r in parsed.rows}) == 12
    assert Counter(r.status for r in parsed.rows) == {Status.CLOSED: 35, Status.IN_PROGRESS: 7}
    assert set(parsed.columns) == set(COLUMNS) - {"progress", "original", "contact"}
    assert [r.row for r in parsed.rows] == list(range(2, 44))


@needs_samples
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_and_xlsx_samples_agree(lang: str) -> None:
    from_csv = parse_ledger(sample(f"ledger.{lang}.csv"), "a.csv")
    from_xlsx = parse_ledger(sample(f"ledger.{lang}.xlsx"), "a.xlsx")
    assert from_csv.rows == from_xlsx.rows


@needs_samples
@pytest.mark.parametrize("bom", [b"", "\ufeff".encode("gb18030")])
def test_gb18030_csv_parses_like_utf8(bom: bytes) -> None:
    utf8 = sample("ledger.zh.csv")
    gb = bom + utf8.decode("utf-8-sig").encode("gb18030")
    assert gb != utf8
    assert parse_ledger(gb, "台账.csv").rows == parse_ledger(utf8, "台账.csv").rows


@needs_samples
def test_utf8_bom_and_utf16_csv_parse_like_plain_utf8() -> None:
    text = sample("ledger.en.csv").decode("utf-8-sig")
    expected = parse_ledger(text.encode(), "l.csv").rows
    assert parse_ledger(b"\xef\xbb\xbf" + text.encode(), "l.csv").rows == expected
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
    table: Table = list(csv.reader(io.StringIO(text)))
    assert parse_ledger(csv_bytes(table, "utf-16", "\t"), "l.csv").rows == expected


@needs_samples
@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_delimiters(delimiter: str) -> None:
    table: Table = list(csv.reader(io.StringIO(sample("ledger.zh.csv").decode("utf-8-sig"))))
    parsed = parse_ledger(csv_bytes(table, delimiter=delimiter), "l.csv")
    assert parsed.ok and len(parsed.rows) == 42


@needs_samples
@pytest.mark.parametrize("as_xlsx", [False, True])
def test_shuffled_columns_and_extra_column(tmp_path: Path, as_xlsx: bool) -> None:
    text = sample("ledger.zh.csv").decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    order = [9, 3, 0, 7, 1, 8, 5, 2, 6, 4]
    shuffled = [["备注"] + [r[i] for i in order] for r in table]
    shuffled[0][1:] = [f"  {h.upper()} " for h in shuffled[0][1:]]
    data = xlsx_bytes(shuffled, tmp_path) if as_xlsx else csv_bytes(shuffled)
    parsed = parse_ledger(data, "l.xlsx" if as_xlsx else "l.csv")
    assert parsed.issues == ()
    assert parsed.rows == parse_ledger(text.encode(), "l.csv").rows
    assert parsed.columns[:3] == ("status", "measure", "code")


# --- problems, each with its row and column -------------------------------------------


def test_every_problem_is_reported_with_row_and_column() -> None:
    header = [h for h in EN_HEADER if h != "Owner"]
    rows = [
        row("1.1.1"),
        row("1.1.2", measure=""),
        row("1.1.1"),
        row("1.1.3", deadline="2024-02-30"),
        row("1.1.4", status="Maybe"),
        row("abc", area=""),
    ]
    owner = EN_HEADER.index("Owner")
    table: Table = [header] + [r[:owner] + r[owner + 1 :] for r in rows]
    parsed = parse_ledger(csv_bytes(table), "ledger.csv")
    assert found(parsed) == {
        (1, "owner", Problem.MISSING_COLUMN),
        (3, "measure", Problem.MISSING_VALUE),
        (4, "code", Problem.DUPLICATE_CODE),
        (5, "deadline", Problem.BAD_DATE),
        (6, "status", Problem.UNKNOWN_STATUS),
        (7, "area", Problem.MISSING_VALUE),
    }
    values = {i.problem: i.value for i in parsed.issues}
    assert values[Problem.BAD_DATE] == "2024-02-30"
    assert values[Problem.UNKNOWN_STATUS] == "Maybe"
    assert values[Problem.DUPLICATE_CODE] == "1.1.1"
    assert parsed.rows == () and not parsed.ok


def test_bad_rows_are_left_out_and_good_rows_kept() -> None:
    table: Table = [EN_HEADER, row("1.1.1"), row("1.1.2", owner=""), row("1.1.3")]
    parsed = parse_ledger(csv_bytes(table), "l.csv")
    assert found(parsed) == {(3, "owner", Problem.MISSING_VALUE)}
    assert [r.code for r in parsed.rows] == ["1.1.1", "1.1.3"]
    assert not parsed.ok


def test_every_required_column_missing_is_reported_once() -> None:
    parsed = parse_ledger(csv_bytes([["Code", "Status"], ["1.1", "Done"]]), "l.csv")
    assert found(parsed) == {(1, c, Problem.MISSING_COLUMN) for c in REQUIRED - {"code"}}


def test_blank_rows_are_skipped_but_still_counted(tmp_path: Path) -> None:
    table: Table = [EN_HEADER, row("1.1.1"), [], row(""), [None] * 3, row("1.1.3")]
    data = xlsx_bytes(table, tmp_path)
    text = csv_bytes([EN_HEADER, row("1.1.1"), [], row(""), ["", " "], row("1.1.3")])
    for parsed in (parse_ledger(data, "l.xlsx"), parse_ledger(text, "l.csv")):
        assert found(parsed) == {(4, "code", Problem.MISSING_VALUE)}
        assert [r.row for r in parsed.rows] == [2, 6]


def test_duplicate_column() -> None:
    parsed = parse_ledger(csv_bytes([[*EN_HEADER, "编号"], [*row(), "9.9"]]), "l.csv")
    assert only(parsed) == LedgerIssue(1, "code", Problem.DUPLICATE_COLUMN, "编号")


def test_text_too_long() -> None:
    parsed = parse_ledger(csv_bytes([EN_HEADER, row(measure="x" * 2001)]), "l.csv")
    assert only(parsed) == LedgerIssue(2, "measure", Problem.TOO_LONG, "2001/2000")
    assert parse_ledger(csv_bytes([EN_HEADER, row(measure="x" * 2000)]), "l.csv").ok


def test_header_only_and_empty_files() -> None:
    assert found(parse_ledger(csv_bytes([EN_HEADER]), "l.csv")) == {
        (None, None, Problem.EMPTY_FILE)
    }
    for data in (b"", b"\r\n ,, \r\n", b"\xef\xbb\xbf"):
        assert only(parse_ledger(data, "l.csv")).problem is Problem.EMPTY_FILE


def test_title_line_above_the_header() -> None:
    table: Table = [["某某巡视整改台账"], [], EN_HEADER, row()]
    parsed = parse_ledger(csv_bytes(table), "l.csv")
    assert parsed.ok and parsed.rows[0].row == 4


# --- file-level problems ----------------------------------------------------------------


def test_garbage_named_xlsx_is_unreadable() -> None:
    for data in (b"not a workbook at all", b"PK\x03\x04garbage" * 50):
        assert only(parse_ledger(data, "ledger.xlsx")).problem is Problem.UNREADABLE_FILE


def test_zip_that_is_not_a_workbook_is_unreadable() -> None:
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    assert only(parse_ledger(buf.getvalue(), "l.xlsx")).problem is Problem.UNREADABLE_FILE


def test_unsupported_type() -> None:
    issue = only(parse_ledger(b"%PDF-1.7", "ledger.pdf"))
    assert issue.problem is Problem.UNSUPPORTED_TYPE and issue.row is None


def test_workbook_under_a_csv_name_is_read_as_xlsx(tmp_path: Path) -> None:
    parsed = parse_ledger(xlsx_bytes([EN_HEADER, row()], tmp_path), "ledger.csv")
    assert parsed.ok


def test_too_large_is_checked_before_anything_else() -> None:
    issue = only(parse_ledger(b"x" * 101, "ledger.pdf", max_bytes=100))
    assert issue.problem is Problem.TOO_LARGE
    assert parse_ledger(csv_bytes([EN_HEADER, row()]), "l.csv", max_bytes=10_000).ok


def test_too_many_rows() -> None:
    table: Table = [EN_HEADER] + [row(f"1.1.{i}") for i in range(1, 5)]
    assert only(parse_ledger(csv_bytes(table), "l.csv", max_rows=3)).problem is (
        Problem.TOO_MANY_ROWS
    )
    assert parse_ledger(csv_bytes(table), "l.csv", max_rows=4).ok


def test_bytes_neither_utf8_nor_gb18030_are_unreadable() -> None:
    # 0x80 and 0xFF can start no GB18030 sequence, and are invalid UTF-8 too
    issue = only(parse_ledger(b"Code,Area\r\n\x80\xff,\xff\r\n", "l.csv"))
    assert issue == LedgerIssue(None, None, Problem.UNREADABLE_FILE)


# --- values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-09-30", date(2024, 9, 30)),
        ("2024/9/30", date(2024, 9, 30)),
        ("2024.9.30", date(2024, 9, 30)),
        ("2024年9月30日", date(2024, 9, 30)),
        (" 2024 年 9 月 30 日前 ", date(2024, 9, 30)),
        ("２０２４－０９－３０", date(2024, 9, 30)),
        ("2024-09-30 00:00:00", date(2024, 9, 30)),
        ("2024年9月底", date(2024, 9, 30)),
        ("2024年2月底前", date(2024, 2, 29)),
        ("2024年底", date(2024, 12, 31)),
        (datetime(2024, 9, 30, 0, 0), date(2024, 9, 30)),
        (date(2024, 9, 30), date(2024, 9, 30)),
        (45565, date(2024, 9, 30)),
        (45565.0, date(2024, 9, 30)),
        ("长期", None),
        ("长期坚持", None),
        ("Long-term", None),
        ("long term", None),
        ("ONGOING", None),
    ],
)
def test_parse_deadline(value: object, expected: date | None) -> None:
    assert parse_deadline(value) == expected


@pytest.mark.parametrize(
    "value",
    ["2024-02-30", "2024/13/1", "2024-9/30", "soon", "", "45565", 0, -3, 12, True, None, 3.5e9],
)
def test_parse_deadline_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_deadline(value)


def test_xlsx_date_cell_serial_number_and_numeric_code(tmp_path: Path) -> None:
    table: Table = [
        EN_HEADER,
        row(1.1, deadline=datetime(2024, 9, 30)),
        row(2, deadline=45596, area="Area two"),
        row("1.1.3", deadline="长期", status=""),
        row("1.1.4", deadline="2024/02/30"),
    ]
    parsed = parse_ledger(xlsx_bytes(table, tmp_path), "l.xlsx")
    assert only(parsed) == LedgerIssue(5, "deadline", Problem.BAD_DATE, "2024/02/30")
    got = {r.code: (r.deadline, r.status) for r in parsed.rows}
    assert got == {
        "1.1": (date(2024, 9, 30), Status.IN_PROGRESS),
        "2": (date(2024, 10, 31), Status.IN_PROGRESS),
        "1.1.3": (None, Status.LONG_TERM),
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("未启动", Status.NOT_STARTED),
        ("未开始", Status.NOT_STARTED),
        ("Not started", Status.NOT_STARTED),
        ("推进中", Status.IN_PROGRESS),
        ("进行中", Status.IN_PROGRESS),
        ("正在推进", Status.IN_PROGRESS),
        ("IN PROGRESS", Status.IN_PROGRESS),
        ("长期坚持", Status.LONG_TERM),
        ("long-term", Status.LONG_TERM),
        ("Ongoing", Status.LONG_TERM),
        ("待销号", Status.PENDING_SIGNOFF),
        ("Pending sign-off", Status.PENDING_SIGNOFF),
        ("已完成", Status.CLOSED),
        ("已销号", Status.CLOSED),
        ("完成", Status.CLOSED),
        (" done ", Status.CLOSED),
        ("Closed", Status.CLOSED),
        ("completed", Status.CLOSED),
        ("反弹", Status.REOPENED),
        ("Reopened", Status.REOPENED),
        ("pending_signoff", Status.PENDING_SIGNOFF),
        ("maybe", None),
        ("", None),
    ],
)
def test_parse_status(value: str, expected: Status | None) -> None:
    assert parse_status(value) is expected


@pytest.mark.parametrize(
    ("deadline", "status", "expected"),
    [
        ("2024-09-30", "", Status.NOT_STARTED),
        ("长期", "", Status.LONG_TERM),
        ("长期", "未启动", Status.LONG_TERM),
        ("long-term", "In progress", Status.LONG_TERM),
        ("长期", "已完成", Status.CLOSED),
        ("2024-09-30", "待销号", Status.PENDING_SIGNOFF),
    ],
)
def test_status_defaults_and_long_term(deadline: str, status: str, expected: Status) -> None:
    parsed = parse_ledger(csv_bytes([EN_HEADER, row(deadline=deadline, status=status)]), "l.csv")
    assert parsed.ok and parsed.rows[0].status is expected


def test_status_column_is_optional() -> None:
    header = EN_HEADER[:-1]
    parsed = parse_ledger(
        csv_bytes([header, row()[:-1], row("1.1.2", deadline="长期")[:-1]]), "l.csv"
    )
    assert parsed.ok
    assert [r.status for r in parsed.rows] == [Status.NOT_STARTED, Status.LONG_TERM]
    assert "status" not in parsed.columns


def test_optional_columns_may_be_empty_or_absent() -> None:
    header = [h for h in EN_HEADER if h not in ("Responsible leader", "Co-units")]
    parsed = parse_ledger(
        csv_bytes([header, ["1.1", "A", "P", "M", "U", "O", "长期", ""]]), "l.csv"
    )
    assert parsed.ok
    r = parsed.rows[0]
    assert (r.leader, r.co_units, r.deadline, r.status) == ("", (), None, Status.LONG_TERM)


def test_values_are_stripped_and_codes_normalized() -> None:
    table: Table = [EN_HEADER, row("\u3000１．２．３ ", measure="\u3000 Do it \u3000")]
    r = parse_ledger(csv_bytes(table), "l.csv").rows[0]
    assert (r.code, r.measure) == ("1.2.3", "Do it")


@pytest.mark.parametrize("code", ["abc", "1..2", "A-01", "XC1-2", "一-1", "2024-审-07", "1 2"])
def test_codes_are_free_text(code: str) -> None:
    parsed = parse_ledger(csv_bytes([EN_HEADER, row(code)]), "l.csv")
    assert parsed.ok and parsed.rows[0].code == code


def test_header_aliases_and_case() -> None:
    header = ["\ufeff编号", "方面", "问题", "措施", "分管领导", "牵头部门", "配合单位", "联络员"]
    header += ["整改时限", "整改状态"]
    parsed = parse_ledger(csv_bytes([header, row()], "utf-8-sig"), "l.csv")
    assert parsed.ok and parsed.columns == COLUMNS[:-3]
    upper = [h.upper() for h in EN_HEADER]
    assert parse_ledger(csv_bytes([upper, row()]), "l.csv").columns == COLUMNS[:-3]


def test_row_number_column_is_not_a_code() -> None:
    parsed = parse_ledger(csv_bytes([["序号", *EN_HEADER[1:]], ["1", *row()[1:]]]), "l.csv")
    assert found(parsed) == {(1, "code", Problem.MISSING_COLUMN)}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("党工委办公室、经济运行局", ("党工委办公室", "经济运行局")),
        ("A，B,C;D；E", ("A", "B", "C", "D", "E")),
        (" A 、、 B 、A ", ("A", "B")),
        ("A\nB", ("A", "B")),
        ("", ()),
        ("  ", ()),
    ],
)
def test_split_units(value: str, expected: tuple[str, ...]) -> None:
    assert split_units(value) == expected


def test_a_long_blank_run_ends_the_sheet() -> None:
    gap: Table = [[]] * 999
    parsed = parse_ledger(csv_bytes([EN_HEADER, row("1.1"), *gap, row("1.2")]), "l.csv")
    assert [r.row for r in parsed.rows] == [2, 1002]
    far = parse_ledger(csv_bytes([EN_HEADER, row("1.1"), *gap, [], [], row("1.2")]), "l.csv")
    assert [r.row for r in far.rows] == [2]
