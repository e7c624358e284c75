"""Check a ledger's data rows one by one: each valid row, or its problems."""

from __future__ import annotations

import unicodedata
from datetime import date

from core.domain.ledger_dates import NoYearError, lacks_year, parse_deadline
from core.domain.ledger_header import REQUIRED, Header
from core.domain.ledger_io import FORMULA
from core.domain.ledger_people import PHONE_RE, parse_people
from core.domain.ledger_types import LedgerIssue, LedgerRow, Problem
from core.domain.ledger_words import (
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
)
from core.domain.model import Status

MAX_TEXT = TEXT_MAX
LIMITS = {"code": CODE_MAX, "lead_unit": NAME_MAX, "leader": NAME_MAX}


class Checker:
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
        co_units = split_units(text.get("co_units", ""))
        for unit in co_units:
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
            co_units=co_units,
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
