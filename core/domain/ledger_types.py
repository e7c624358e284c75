"""What parsing a ledger gives: valid rows, the problems found, and how the file was read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.domain.model import Status


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
    title: str = ""  # the title line above the header (XX巡视整改台账), when there is one

    @property
    def ok(self) -> bool:
        """True when the file can be written as it is."""
        return not self.issues and bool(self.rows)
