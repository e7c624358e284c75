"""Parse and check an imported ledger (台账) file; pure: no I/O beyond the bytes given."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.domain.ledger_io import UnreadableFileError, file_kind, read_rows
from bot.domain.model import Status


class Problem(StrEnum):
    """Why a file or a row was refused; the UI words them."""

    UNREADABLE_FILE = "unreadable_file"
    UNSUPPORTED_TYPE = "unsupported_type"
    TOO_LARGE = "too_large"
    TOO_MANY_ROWS = "too_many_rows"
    EMPTY_FILE = "empty_file"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_VALUE = "missing_value"
    DUPLICATE_CODE = "duplicate_code"
    BAD_CODE = "bad_code"
    UNKNOWN_STATUS = "unknown_status"
    BAD_DATE = "bad_date"
    TOO_LONG = "too_long"
    AREA_MISMATCH = "area_mismatch"


@dataclass(frozen=True)
class LedgerIssue:
    """One problem, at a spreadsheet row (header is row 1) and canonical column when known."""

    row: int | None
    column: str | None
    problem: Problem
    value: str = ""


@dataclass(frozen=True)
class LedgerRow:
    """One valid measure from the file."""

    row: int
    code: str
    area: str
    problem: str
    measure: str
    leader: str
    lead_unit: str
    co_units: tuple[str, ...]
    owner: str
    deadline: date | None  # None: long-term (长期)
    status: Status


@dataclass(frozen=True)
class ParsedLedger:
    """Valid rows, every issue found, and the canonical columns the header had."""

    rows: tuple[LedgerRow, ...]
    issues: tuple[LedgerIssue, ...]
    columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file can be written as it is."""
        return not self.issues and bool(self.rows)


COLUMNS: tuple[str, ...] = (
    "code", "area", "problem", "measure", "leader", "lead_unit", "co_units", "owner", "deadline", "status",
)  # fmt: skip
REQUIRED: frozenset[str] = frozenset(
    {"code", "area", "problem", "measure", "lead_unit", "owner", "deadline"}
)
# Header names, compared after _key(); 序号 is deliberately absent: it is a row count, not a code.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编号", "措施编号", "code"),
    "area": ("方面", "area"),
    "problem": ("问题", "存在问题", "problem"),
    "measure": ("整改措施", "措施", "measure"),
    "leader": ("责任领导", "分管领导", "responsible leader", "leader"),
    "lead_unit": ("牵头单位", "牵头部门", "lead unit"),
    "co_units": ("责任单位", "责任部门", "配合单位", "co-units", "co units"),
    "owner": ("责任人", "联络员", "owner"),
    "deadline": ("完成时限", "整改时限", "时限", "完成时间", "deadline", "due date"),
    "status": ("状态", "整改状态", "status"),
}
STATUSES: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("未启动", "未开始", "尚未启动", "not started"),
    Status.IN_PROGRESS: ("推进中", "进行中", "正在推进", "整改中", "按时序推进", "in progress"),
    Status.LONG_TERM: ("长期坚持", "长期", "long-term", "ongoing"),
    Status.PENDING_SIGNOFF: ("待销号", "pending sign-off"),
    Status.CLOSED: ("已完成", "已销号", "完成", "done", "closed", "completed"),
    Status.REOPENED: ("反弹", "reopened"),
}
LONG_TERM_WORDS = ("长期", "长期坚持", "long-term", "ongoing")
MAX_TEXT = 2000
HEADER_SEARCH = 5  # rows a title line may push the header down
CODE_RE = re.compile(r"\d+(\.\d+)*", re.ASCII)
UNIT_SPLIT_RE = re.compile(r"[、，,;；\r\n]+")
DATE_RES = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日?前?"),
)
MONTH_END_RE = re.compile(r"(\d{4})年(?:(\d{1,2})月)?底前?")
EXCEL_EPOCH = date(1899, 12, 30)  # right for every serial after Excel's phantom 1900-02-29
SERIAL_YEARS = range(1990, 2200)  # a number outside these years is a typo, not a deadline


def _key(text: str) -> str:
    """Fold width, case, spaces, hyphens and underscores so 'Lead-unit' meets 'lead unit'."""
    return re.sub(r"[\s\-_\ufeff]+", "", unicodedata.normalize("NFKC", text).casefold())


HEADER_KEYS = {_key(name): col for col, names in ALIASES.items() for name in names}
STATUS_KEYS = {_key(name): s for s, names in STATUSES.items() for name in (*names, s.value)}
LONG_TERM_KEYS = frozenset(_key(w) for w in LONG_TERM_WORDS)


def _text(cell: object) -> str:
    """A cell as stripped text; integral floats lose their '.0' and 1.1 stays '1.1'."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell == datetime.combine(cell.date(), datetime.min.time()):
        return cell.date().isoformat()
    return str(cell).strip()


def _shown(value: object) -> str:
    """A raw value short enough to quote back to the user."""
    text = _text(value)
    return text if len(text) <= 80 else text[:79] + "…"


def parse_status(value: str) -> Status | None:
    """A status from its Chinese or English name (or stored value); None when unknown or empty."""
    return STATUS_KEYS.get(_key(value))


def split_units(value: str) -> tuple[str, ...]:
    """Co-units from one cell, in order, without blanks or repeats."""
    parts = (p.strip() for p in UNIT_SPLIT_RE.split(value))
    return tuple(dict.fromkeys(p for p in parts if p))


def area_number(code: str) -> int:
    """The area a code belongs to: its first segment."""
    return int(unicodedata.normalize("NFKC", code).strip().split(".")[0])


def parse_deadline(value: object) -> date | None:
    """A deadline cell as a date, or None for long-term; ValueError for anything else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 < value < 2958466:  # Excel's own range of dates
            raise ValueError(f"not an Excel date serial: {value!r}")
        day = EXCEL_EPOCH + timedelta(days=int(value))
        if day.year not in SERIAL_YEARS:
            raise ValueError(f"implausible Excel date serial: {value!r}")
        return day
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value))
    if _key(text) in LONG_TERM_KEYS:
        return None
    for pattern in DATE_RES:
        if m := pattern.fullmatch(text):
            return date(int(m[1]), int(m[3]), int(m[4]))
    if m := MONTH_END_RE.fullmatch(text):
        # 2024年9月底 (end of September) is how many ledgers set a deadline
        year, month = int(m[1]), int(m[2] or 12)
        return date(year, month, calendar.monthrange(year, month)[1])
    raise ValueError(f"not a date: {value!r}")


def _header(rows: list[tuple[int, tuple[object, ...]]]) -> int:
    """Index of the header: the first row naming a known column, past any title lines."""
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        if any(_key(_text(c)) in HEADER_KEYS for c in cells):
            return i
    return 0


def _columns(number: int, cells: tuple[object, ...]) -> tuple[dict[str, int], list[LedgerIssue]]:
    """Where each canonical column sits, plus missing and repeated columns."""
    where: dict[str, int] = {}
    issues: list[LedgerIssue] = []
    for i, cell in enumerate(cells):
        col = HEADER_KEYS.get(_key(_text(cell)))
        if col is None:
            continue
        if col in where:
            issues.append(LedgerIssue(number, col, Problem.DUPLICATE_COLUMN, _shown(cell)))
        else:
            where[col] = i
    missing = sorted(REQUIRED - where.keys(), key=COLUMNS.index)
    issues += [LedgerIssue(number, col, Problem.MISSING_COLUMN) for col in missing]
    return where, issues


class _Checker:
    """Checks data rows one by one, remembering codes and areas across rows."""

    def __init__(self, where: dict[str, int]) -> None:
        self.where = where
        self.complete = where.keys() >= REQUIRED
        self.codes: set[str] = set()
        self.area_of_number: dict[int, str] = {}
        self.number_of_area: dict[str, int] = {}
        self.issues: list[LedgerIssue] = []
        self.number = 0

    def bad(self, col: str, problem: Problem, value: object = "") -> None:
        """Note an issue of the current row."""
        self.issues.append(LedgerIssue(self.number, col, problem, _shown(value)))

    def check(self, number: int, cells: tuple[object, ...]) -> LedgerRow | None:
        """A valid row, or None with the row's issues left in self.issues."""
        self.number = number
        raw = {col: cells[i] if i < len(cells) else None for col, i in self.where.items()}
        text = {col: _text(v) for col, v in raw.items()}
        before = len(self.issues)
        for col, value in text.items():
            if col in REQUIRED and not value:
                self.bad(col, Problem.MISSING_VALUE)
            elif len(value) > MAX_TEXT:
                self.bad(col, Problem.TOO_LONG, str(len(value)))
        code = unicodedata.normalize("NFKC", text.get("code", "")).strip()
        if code and len(code) <= MAX_TEXT:
            self._check_code(code, raw["code"], text.get("area", ""))
        deadline: date | None = None
        if text.get("deadline"):
            try:
                deadline = parse_deadline(raw["deadline"])
            except ValueError:
                self.bad("deadline", Problem.BAD_DATE, raw["deadline"])
        status = parse_status(text.get("status", ""))
        if status is None and text.get("status"):
            self.bad("status", Problem.UNKNOWN_STATUS, raw["status"])
        if len(self.issues) > before or not self.complete:
            return None
        if deadline is None and status in (None, Status.NOT_STARTED, Status.IN_PROGRESS):
            # an open long-term measure is tracked as long-term: it never closes
            status = Status.LONG_TERM
        return LedgerRow(
            row=number,
            code=code,
            area=text["area"],
            problem=text["problem"],
            measure=text["measure"],
            leader=text.get("leader", ""),
            lead_unit=text["lead_unit"],
            co_units=split_units(text.get("co_units", "")),
            owner=text["owner"],
            deadline=deadline,
            status=status or Status.NOT_STARTED,
        )

    def _check_code(self, code: str, raw: object, area: str) -> None:
        if not CODE_RE.fullmatch(code):
            self.bad("code", Problem.BAD_CODE, raw)
            return
        if code in self.codes:
            self.bad("code", Problem.DUPLICATE_CODE, code)
            return
        self.codes.add(code)
        if not area:
            return
        # reports and filters group by the code's first segment, so it must name one area
        n = area_number(code)
        known_area = self.area_of_number.setdefault(n, area)
        known_number = self.number_of_area.setdefault(area, n)
        if known_area != area or known_number != n:
            self.bad("area", Problem.AREA_MISMATCH, area)


def parse_ledger(
    data: bytes, filename: str, *, max_bytes: int = 5_000_000, max_rows: int = 5000
) -> ParsedLedger:
    """Parse a CSV or XLSX ledger, reporting every problem found; never raises."""
    if len(data) > max_bytes:
        return ParsedLedger((), (LedgerIssue(None, None, Problem.TOO_LARGE, str(len(data))),))
    kind = file_kind(data, filename)
    if kind is None:
        return ParsedLedger(
            (), (LedgerIssue(None, None, Problem.UNSUPPORTED_TYPE, _shown(filename)),)
        )
    try:
        table = read_rows(data, kind, limit=max_rows + HEADER_SEARCH + 1)
    except UnreadableFileError:
        return ParsedLedger((), (LedgerIssue(None, None, Problem.UNREADABLE_FILE),))
    if not table:
        return ParsedLedger((), (LedgerIssue(None, None, Problem.EMPTY_FILE),))
    h = _header(table)
    where, issues = _columns(*table[h])
    columns = tuple(sorted(where, key=where.__getitem__))
    body = table[h + 1 :]
    if len(body) > max_rows:
        issues = [LedgerIssue(None, None, Problem.TOO_MANY_ROWS, str(max_rows))]
        return ParsedLedger((), tuple(issues), columns)
    if not body:
        issues.append(LedgerIssue(None, None, Problem.EMPTY_FILE))
    checker = _Checker(where)
    rows = [r for number, cells in body if (r := checker.check(number, cells)) is not None]
    return ParsedLedger(tuple(rows), (*issues, *checker.issues), columns)
