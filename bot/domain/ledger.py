"""Parse and check an imported ledger (台账) file; pure: no I/O beyond the bytes given."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.ledger_dates import NoYearError, lacks_year, parse_deadline, years_in
from bot.domain.ledger_header import HEADER_SEARCH, REQUIRED, Header, find_header
from bot.domain.ledger_io import (
    FORMULA,
    EncryptedFileError,
    Row,
    Sheet,
    UnclosedQuoteError,
    UnreadableFileError,
    file_kind,
    read_sheets,
)
from bot.domain.ledger_people import PHONE_RE, parse_people
from bot.domain.ledger_words import (
    AMBIGUOUS_STATUSES,
    CODE_MAX,
    CONTACT_MAX,
    NAME_MAX,
    TEXT_MAX,
    cell_text,
    clean,
    column_letter,
    is_immediate,
    key,
    name,
    normal_code,
    parse_status,
    shown,
    split_units,
    table_end,
)
from bot.domain.model import Status

__all__ = ["HEADER_SEARCH", "REQUIRED", "parse_deadline", "parse_status", "split_units"]


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
    ENCRYPTED = "encrypted"
    HTML_FILE = "html_file"
    NO_YEAR = "no_year"
    AMBIGUOUS_STATUS = "ambiguous_status"


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
    co_leaders: tuple[str, ...] = ()  # further responsible leaders named after the first
    original_deadline: date | None = None  # the bot's own export: the deadline before extensions


@dataclass(frozen=True)
class ParsedLedger:
    """Valid rows, every issue found, the canonical columns the header had, the sheet used."""

    rows: tuple[LedgerRow, ...]
    issues: tuple[LedgerIssue, ...]
    columns: tuple[str, ...] = ()
    sheet: str = ""
    sheets: tuple[str, ...] = ()  # when several sheets match: their names, to choose from
    headers: tuple[tuple[str, str], ...] = ()  # (field, the header the file wrote for it)
    ignored: tuple[str, ...] = ()  # headers of the columns not read
    hidden: tuple[int, ...] = ()  # hidden rows skipped
    end: tuple[int, str] | None = None  # the row that ended the table (合计, 备注…) and its text
    year: int | None = None  # the ledger's year, when dates written without one used it

    @property
    def ok(self) -> bool:
        """True when the file can be written as it is."""
        return not self.issues and bool(self.rows)


COLUMNS: tuple[str, ...] = (
    "code", "area", "problem", "measure", "leader", "lead_unit", "co_units", "owner", "deadline",
    "status", "progress", "original", "contact",
)  # fmt: skip
MAX_ROWS = 50_000  # measures one import takes
# Telegram lets a bot download files up to 20 MB; 50,000 sample-like rows are 16 MB as CSV, 6 as XLSX
MAX_BYTES = 20_000_000
MAX_TEXT = TEXT_MAX
LIMITS = {"code": CODE_MAX, "lead_unit": NAME_MAX, "leader": NAME_MAX}


def _issues(number: int, h: Header) -> list[LedgerIssue]:
    """Missing and repeated columns of a header at spreadsheet row `number`."""
    issues = [LedgerIssue(number, col, Problem.DUPLICATE_COLUMN, text) for col, text in h.repeated]
    missing = sorted(REQUIRED - h.where.keys(), key=COLUMNS.index)
    return issues + [LedgerIssue(number, col, Problem.MISSING_COLUMN) for col in missing]


class _Checker:
    """Checks data rows one by one, remembering codes across rows."""

    def __init__(self, header: Header, year: int | None) -> None:
        self.where, self.contact_columns, self.year = header.where, header.contacts, year
        self.complete = header.where.keys() >= REQUIRED
        self.codes: set[str] = set()
        self.issues: list[LedgerIssue] = []
        self.number = 0
        self.yearless = False  # a date without a year was read in the ledger's year

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
            folded = unicodedata.normalize("NFKC", code)  # （一） and (一) are one code
            if folded in self.codes:
                self.bad("code", Problem.DUPLICATE_CODE, raw["code"])
            self.codes.add(folded)
        for unit in split_units(text.get("co_units", "")):
            if len(unit) > NAME_MAX:  # each co-unit is a unit: its name has the unit's limit
                self.bad("co_units", Problem.TOO_LONG, f"{len(unit)}/{NAME_MAX}")
        people = self._people(text.get("owner", ""))
        deadline, immediate = self._deadline("deadline", raw.get("deadline"), text)
        original, _ = self._deadline("original", raw.get("original"), text)
        status = self._status(raw.get("status"), text.get("status", ""))
        if len(self.issues) > before or not self.complete:
            return None
        if deadline is None and not immediate and status in (None, *OPEN_START):
            # an open long-term measure is tracked as long-term: it never closes
            status = Status.LONG_TERM
        leaders = parse_people(text.get("leader", ""), keep_notes=True)
        return LedgerRow(
            row=number,
            code=code,
            area=name(text["area"]),
            problem=clean(text["problem"]),
            measure=text["measure"],
            leader=leaders[0][0] if leaders else "",
            lead_unit=name(text["lead_unit"]),
            co_units=split_units(text.get("co_units", "")),
            owner=people[0][0],
            deadline=deadline,
            status=status or Status.NOT_STARTED,
            co_owners=tuple(p for p, _ in people[1:]),
            contacts=self._contacts(cells, people, leaders),
            immediate=immediate,
            progress=text.get("progress", ""),
            co_leaders=tuple(p for p, _ in leaders[1:]),
            original_deadline=original if original != deadline else None,
        )

    def _status(self, raw: object, value: str) -> Status | None:
        status = parse_status(value)
        if status is None and value:
            ambiguous = key(value) in {key(w) for w in AMBIGUOUS_STATUSES}
            self.bad(
                "status", Problem.AMBIGUOUS_STATUS if ambiguous else Problem.UNKNOWN_STATUS, raw
            )
        return status

    def _people(self, value: str) -> tuple[tuple[str, str], ...]:
        people = parse_people(value)
        if value and not people:
            self.bad("owner", Problem.MISSING_VALUE, value)
        for person, phone in people:
            if len(person) > NAME_MAX or len(phone) > CONTACT_MAX:
                self.bad("owner", Problem.TOO_LONG, f"{len(person)}/{NAME_MAX}")
        return people or (("", ""),)

    def _contacts(
        self, cells: tuple[object, ...], people: tuple[tuple[str, str], ...],
        leaders: tuple[tuple[str, str], ...],
    ) -> tuple[tuple[str, str], ...]:  # fmt: skip
        """(person, phone) pairs: phones after names, and those of the 联系人 / 联系电话 columns."""
        found = dict(p for p in (*people, *leaders) if p[1])
        for i in self.contact_columns:
            value = cell_text(cells[i]) if i < len(cells) else ""
            given = parse_people(value)
            phones = PHONE_RE.findall(value) if not given else []
            for person, phone in given:
                if phone and len(phone) <= CONTACT_MAX:
                    found.setdefault(person, phone)
            if phones and people[0][0] and len(phones[0]) <= CONTACT_MAX:
                found.setdefault(people[0][0], phones[0])  # a phone alone is the owner's
        return tuple(found.items())

    def _deadline(self, col: str, raw: object, text: dict[str, str]) -> tuple[date | None, bool]:
        value = text.get(col, "")
        if not value and not isinstance(raw, date):
            return None, False
        if col == "deadline" and is_immediate(value):
            return None, True
        try:
            found = parse_deadline(raw if not isinstance(raw, str) else value, year=self.year)
        except NoYearError:
            self.bad(col, Problem.NO_YEAR, raw)
            return None, False
        except ValueError:
            self.bad(col, Problem.BAD_DATE, raw)
            return None, False
        self.yearless |= lacks_year(raw)
        return found, False


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
    matching = [s for s in sheets if find_header(s.rows).complete]
    if len(matching) > 1:
        issue = LedgerIssue(None, None, Problem.SEVERAL_SHEETS, "、".join(m.name for m in matching))
        return ParsedLedger((), (issue,), sheets=tuple(m.name for m in matching))
    if matching:
        return matching[0]
    # no sheet has every column: report on the one that comes closest
    return max(sheets, key=lambda s: len(find_header(s.rows).where) if s.rows else 0)


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
    if kind == "html":
        return _refused(Problem.HTML_FILE)
    if kind == "encrypted":
        return _refused(Problem.ENCRYPTED)
    try:
        sheets = read_sheets(data, kind, limit=max_rows + HEADER_SEARCH + 1)
    except UnclosedQuoteError as exc:
        return _refused(Problem.UNCLOSED_QUOTE, row=exc.row)
    except EncryptedFileError:
        return _refused(Problem.ENCRYPTED)
    except UnreadableFileError:
        return _refused(Problem.UNREADABLE_FILE)
    chosen = _pick(sheets, sheet)
    if isinstance(chosen, ParsedLedger):
        return chosen
    return _parse_table(chosen, max_rows, filename)


def _year(table: list[Row], h: Header, titles: list[str]) -> int | None:
    """The ledger's year: the one its title lines (or sheet, or file name) give, else the one
    every dated deadline shares; None when neither settles it."""
    above = [cell_text(c) for _, cells in table[: h.first] for c in cells]
    found = years_in([*above, *titles])
    if len(found) == 1:
        return found.pop()
    at = h.where.get("deadline")
    if at is None:
        return None
    dated = set()
    for _, cells in table[h.last + 1 :]:
        value = cells[at] if at < len(cells) else None
        if isinstance(value, date):
            dated.add(value.year)
        elif isinstance(value, str):
            dated |= years_in([value])
    return dated.pop() if len(dated) == 1 else None


def _parse_table(sheet: Sheet, max_rows: int, filename: str) -> ParsedLedger:
    table = sheet.rows
    if not table:
        return _refused(Problem.EMPTY_FILE)
    h = find_header(table)
    issues = _issues(table[h.first][0], h)
    body = table[h.last + 1 :]
    end = None
    for i, (number, cells) in enumerate(body):
        if words := table_end(cells):
            body, end = body[:i], (number, words)
            break
    if len(body) > max_rows:
        return ParsedLedger((), (LedgerIssue(None, None, Problem.TOO_MANY_ROWS, str(max_rows)),))
    if not body:
        issues.append(LedgerIssue(None, None, Problem.EMPTY_FILE))
    checker = _Checker(h, _year(table, h, [sheet.name, filename]))
    rows = [r for number, cells in body if (r := checker.check(number, cells)) is not None]
    return ParsedLedger(
        tuple(rows), (*issues, *checker.issues), tuple(sorted(h.where, key=h.where.__getitem__)),
        sheet.name, headers=tuple(h.written.items()), ignored=tuple(h.ignored),
        hidden=sheet.hidden, end=end, year=checker.year if checker.yearless else None,
    )  # fmt: skip
