"""Parse and check an imported ledger (台账) file; pure: no I/O beyond the bytes given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.ledger_io import (
    FORMULA,
    Sheet,
    UnclosedQuoteError,
    UnreadableFileError,
    file_kind,
    read_sheets,
)
from bot.domain.ledger_words import (
    CODE_MAX,
    CONTACT_MAX,
    HEADER_KEYS,
    NAME_MAX,
    TEXT_MAX,
    cell_text,
    clean,
    column_letter,
    is_immediate,
    is_note,
    key,
    name,
    normal_code,
    parse_deadline,
    parse_people,
    parse_status,
    shown,
    split_units,
)
from bot.domain.model import Status

__all__ = ["parse_deadline", "parse_status", "split_units"]


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
    UNKNOWN_STATUS = "unknown_status"
    BAD_DATE = "bad_date"
    TOO_LONG = "too_long"
    UNCLOSED_QUOTE = "unclosed_quote"
    FORMULA_NO_VALUE = "formula_no_value"
    SEVERAL_SHEETS = "several_sheets"
    NO_SUCH_SHEET = "no_such_sheet"


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
    deadline: date | None  # None: long-term (长期), or immediate
    status: Status
    co_owners: tuple[str, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()  # (person, phone) as the file gives them
    immediate: bool = False  # 立行立改: due on the import date
    progress: str = ""


@dataclass(frozen=True)
class ParsedLedger:
    """Valid rows, every issue found, the canonical columns the header had, the sheet used."""

    rows: tuple[LedgerRow, ...]
    issues: tuple[LedgerIssue, ...]
    columns: tuple[str, ...] = ()
    sheet: str = ""
    sheets: tuple[str, ...] = ()  # when several sheets match: their names, to choose from

    @property
    def ok(self) -> bool:
        """True when the file can be written as it is."""
        return not self.issues and bool(self.rows)


COLUMNS: tuple[str, ...] = (
    "code", "area", "problem", "measure", "leader", "lead_unit", "co_units", "owner", "deadline",
    "status", "progress",
)  # fmt: skip
REQUIRED: frozenset[str] = frozenset(
    {"code", "area", "problem", "measure", "lead_unit", "owner", "deadline"}
)
HEADER_SEARCH = 20  # rows title lines and 填报 lines may push the header down
MAX_ROWS = 50_000  # measures one import takes
# Telegram lets a bot download files up to 20 MB; 50,000 sample-like rows are 16 MB as CSV, 6 as XLSX
MAX_BYTES = 20_000_000
MAX_TEXT = TEXT_MAX
LIMITS = {"code": CODE_MAX, "lead_unit": NAME_MAX, "leader": NAME_MAX}


def _known(cells: tuple[object, ...]) -> set[str]:
    return {col for c in cells if (col := HEADER_KEYS.get(key(cell_text(c))))}


def _header(rows: list[tuple[int, tuple[object, ...]]]) -> tuple[int, bool]:
    """Index of the header (first row naming every required column) and whether it is complete."""
    best, most = 0, 0
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        names = _known(cells)
        if names >= REQUIRED:
            return i, True
        if len(names) > most:
            best, most = i, len(names)
    return best, False


def _columns(number: int, cells: tuple[object, ...]) -> tuple[dict[str, int], list[LedgerIssue]]:
    """Where each canonical column sits, plus missing and repeated columns."""
    where: dict[str, int] = {}
    issues: list[LedgerIssue] = []
    for i, cell in enumerate(cells):
        col = HEADER_KEYS.get(key(cell_text(cell)))
        if col is None:
            continue
        if col in where:
            issues.append(LedgerIssue(number, col, Problem.DUPLICATE_COLUMN, shown(cell)))
        else:
            where[col] = i
    missing = sorted(REQUIRED - where.keys(), key=COLUMNS.index)
    issues += [LedgerIssue(number, col, Problem.MISSING_COLUMN) for col in missing]
    return where, issues


class _Checker:
    """Checks data rows one by one, remembering codes across rows."""

    def __init__(self, where: dict[str, int]) -> None:
        self.where = where
        self.complete = where.keys() >= REQUIRED
        self.codes: set[str] = set()
        self.issues: list[LedgerIssue] = []
        self.number = 0

    def bad(self, col: str, problem: Problem, value: object = "") -> None:
        """Note an issue of the current row."""
        self.issues.append(LedgerIssue(self.number, col, problem, shown(value)))

    def check(self, number: int, cells: tuple[object, ...]) -> LedgerRow | None:
        """A valid row, or None with the row's issues left in self.issues."""
        self.number = number
        raw = {col: cells[i] if i < len(cells) else None for col, i in self.where.items()}
        text = {col: cell_text(v) for col, v in raw.items()}
        before = len(self.issues)
        for col, value in text.items():
            if raw[col] is FORMULA:
                self.bad(
                    col, Problem.FORMULA_NO_VALUE, column_letter(self.where[col]) + str(number)
                )
            elif col in REQUIRED and not value:
                self.bad(col, Problem.MISSING_VALUE)
            elif len(value) > LIMITS.get(col, MAX_TEXT):
                self.bad(col, Problem.TOO_LONG, f"{len(value)}/{LIMITS.get(col, MAX_TEXT)}")
        code = normal_code(text.get("code", ""))
        if code and len(code) <= CODE_MAX:
            if code in self.codes:
                self.bad("code", Problem.DUPLICATE_CODE, raw["code"])
            self.codes.add(code)
        for unit in split_units(text.get("co_units", "")):
            if len(unit) > NAME_MAX:  # each co-unit is a unit: its name has the unit's limit
                self.bad("co_units", Problem.TOO_LONG, f"{len(unit)}/{NAME_MAX}")
        people = self._people(text.get("owner", ""))
        deadline, immediate = self._deadline(raw.get("deadline"), text.get("deadline", ""))
        status = parse_status(text.get("status", ""))
        if status is None and text.get("status"):
            self.bad("status", Problem.UNKNOWN_STATUS, raw["status"])
        if len(self.issues) > before or not self.complete:
            return None
        if deadline is None and not immediate and status in (None, *OPEN_START):
            # an open long-term measure is tracked as long-term: it never closes
            status = Status.LONG_TERM
        leader = parse_people(text.get("leader", ""), keep_notes=True)
        return LedgerRow(
            row=number,
            code=code,
            area=name(text["area"]),
            problem=clean(text["problem"]),
            measure=text["measure"],
            leader=leader[0][0] if leader else "",
            lead_unit=name(text["lead_unit"]),
            co_units=split_units(text.get("co_units", "")),
            owner=people[0][0],
            deadline=deadline,
            status=status or Status.NOT_STARTED,
            co_owners=tuple(p for p, _ in people[1:]),
            contacts=tuple((p, phone) for p, phone in (*people, *leader[:1]) if phone),
            immediate=immediate,
            progress=text.get("progress", ""),
        )

    def _people(self, value: str) -> tuple[tuple[str, str], ...]:
        people = parse_people(value)
        if value and not people:
            self.bad("owner", Problem.MISSING_VALUE, value)
        for person, phone in people:
            if len(person) > NAME_MAX or len(phone) > CONTACT_MAX:
                self.bad("owner", Problem.TOO_LONG, f"{len(person)}/{NAME_MAX}")
        return people or (("", ""),)

    def _deadline(self, raw: object, text: str) -> tuple[date | None, bool]:
        if not text and not isinstance(raw, date):
            return None, False
        if is_immediate(text):
            return None, True
        try:
            return parse_deadline(raw if not isinstance(raw, str) else text), False
        except ValueError:
            self.bad("deadline", Problem.BAD_DATE, raw)
            return None, False


OPEN_START = (Status.NOT_STARTED, Status.IN_PROGRESS)


def _pick(sheets: list[Sheet], wanted: str | None) -> Sheet | ParsedLedger:
    """The sheet holding the ledger, or a refusal naming the sheets to choose from."""
    names = tuple(s.name for s in sheets)
    if wanted is not None:
        found = [s for s in sheets if s.name == wanted or key(s.name) == key(wanted)]
        if not found:
            issue = LedgerIssue(None, None, Problem.NO_SUCH_SHEET, "、".join(names))
            return ParsedLedger((), (issue,), sheets=names)
        return found[0]
    matching = [s for s in sheets if _header(s.rows)[1]]
    if len(matching) > 1:
        issue = LedgerIssue(None, None, Problem.SEVERAL_SHEETS, "、".join(m.name for m in matching))
        return ParsedLedger((), (issue,), sheets=tuple(m.name for m in matching))
    if matching:
        return matching[0]
    # no sheet has every column: report on the one that comes closest
    return max(sheets, key=lambda s: len(_known(s.rows[_header(s.rows)[0]][1])) if s.rows else 0)


def _refused(problem: Problem, value: str = "", row: int | None = None) -> ParsedLedger:
    return ParsedLedger((), (LedgerIssue(row, None, problem, value),))


def parse_ledger(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> ParsedLedger:
    """Parse a CSV or XLSX ledger, reporting every problem found; never raises.

    A file over a cap is refused with the cap as the issue's value (bytes or rows).
    """
    if len(data) > max_bytes:
        return _refused(Problem.TOO_LARGE, str(max_bytes))
    kind = file_kind(data, filename)
    if kind is None:
        return _refused(Problem.UNSUPPORTED_TYPE, shown(filename))
    try:
        sheets = read_sheets(data, kind, limit=max_rows + HEADER_SEARCH + 1)
    except UnclosedQuoteError as exc:
        return _refused(Problem.UNCLOSED_QUOTE, row=exc.row)
    except UnreadableFileError:
        return _refused(Problem.UNREADABLE_FILE)
    chosen = _pick(sheets, sheet)
    if isinstance(chosen, ParsedLedger):
        return chosen
    return _parse_table(chosen, max_rows)


def _parse_table(sheet: Sheet, max_rows: int) -> ParsedLedger:
    table = sheet.rows
    if not table:
        return _refused(Problem.EMPTY_FILE)
    h, _ = _header(table)
    where, issues = _columns(*table[h])
    columns = tuple(sorted(where, key=where.__getitem__))
    body = table[h + 1 :]
    for i, (_, cells) in enumerate(body):
        if is_note(cells):
            body = body[:i]
            break
    if len(body) > max_rows:
        return ParsedLedger((), (LedgerIssue(None, None, Problem.TOO_MANY_ROWS, str(max_rows)),))
    if not body:
        issues.append(LedgerIssue(None, None, Problem.EMPTY_FILE))
    checker = _Checker(where)
    rows = [r for number, cells in body if (r := checker.check(number, cells)) is not None]
    return ParsedLedger(tuple(rows), (*issues, *checker.issues), columns, sheet.name)
