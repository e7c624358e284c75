"""Parse and check an imported ledger (台账) file; pure: no I/O beyond the bytes given."""

from __future__ import annotations

from datetime import date

from core.domain.founding import title_of
from core.domain.ledger_check import MAX_TEXT, Checker
from core.domain.ledger_dates import parse_deadline, years_in
from core.domain.ledger_header import HEADER_SEARCH, REQUIRED, Header, find_header
from core.domain.ledger_io import (
    EncryptedFileError,
    Row,
    Sheet,
    UnclosedQuoteError,
    UnreadableFileError,
    file_kind,
    read_sheets,
)
from core.domain.ledger_types import LedgerIssue, LedgerRow, ParsedLedger, Problem
from core.domain.ledger_words import cell_text, key, parse_status, shown, split_units, table_end

__all__ = [
    "HEADER_SEARCH", "MAX_TEXT", "REQUIRED", "LedgerIssue", "LedgerRow", "ParsedLedger", "Problem",
    "parse_deadline", "parse_status", "split_units",
]  # fmt: skip


COLUMNS: tuple[str, ...] = (
    "code", "area", "problem", "measure", "leader", "lead_unit", "co_units", "owner", "deadline",
    "status", "progress", "original", "contact",
)  # fmt: skip
MAX_ROWS = 50_000  # measures one import takes
# Telegram lets a bot download files up to 20 MB; 50,000 sample-like rows are 16 MB as CSV, 6 as XLSX
MAX_BYTES = 20_000_000


def _issues(number: int, h: Header) -> list[LedgerIssue]:
    """Missing and repeated columns of a header at spreadsheet row `number`."""
    issues = [LedgerIssue(number, col, Problem.DUPLICATE_COLUMN, text) for col, text in h.repeated]
    missing = sorted(REQUIRED - h.where.keys(), key=COLUMNS.index)
    return issues + [LedgerIssue(number, col, Problem.MISSING_COLUMN) for col in missing]


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
    checker = Checker(h, _year(table, h, [sheet.name, filename]))
    # each raw row let go once checked: a 50,000-row file's cells and its rows are not all held
    # at once (the sheet keeps its title and header, which the title is read from)
    del table[h.last + 1 :]
    body.reverse()
    rows: list[LedgerRow] = []
    while body:
        number, cells = body.pop()
        if (row := checker.check(number, cells)) is not None:
            rows.append(row)
    return ParsedLedger(
        tuple(rows), (*issues, *checker.issues), tuple(sorted(h.where, key=h.where.__getitem__)),
        sheet.name, headers=tuple(h.written.items()), ignored=tuple(h.ignored),
        hidden=sheet.hidden, end=end, year=checker.year if checker.yearless else None,
        title=title_of(table[: h.first]),
    )  # fmt: skip
