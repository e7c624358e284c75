"""Localized names for domain values."""

from __future__ import annotations

from datetime import date

from core.domain.ledger import Problem
from core.domain.model import Beat, Health, Light, Role, Status
from core.i18n import N_, Tr

STATUS = {
    Status.NOT_STARTED: N_("not started"),
    Status.IN_PROGRESS: N_("in progress"),
    Status.LONG_TERM: N_("long-term"),
    Status.PENDING_SIGNOFF: N_("pending sign-off"),
    Status.CLOSED: N_("closed"),
    Status.REOPENED: N_("reopened"),
}
HEALTH = {
    Health.ON_TRACK: N_("on track"),
    Health.AT_RISK: N_("at risk"),
    Health.BLOCKED: N_("blocked"),
}
# a look-back answer as a measure's latest word, by verdict
LOOKBACK = {"holds": N_("look-back: the result holds"), "rebound": N_("look-back: rebound")}
LIGHT_ICON = {Light.RED: "🔴", Light.YELLOW: "🟡", Light.GREEN: "🟢", None: "✅"}
LIGHT = {Light.RED: N_("red"), Light.YELLOW: N_("yellow"), Light.GREEN: N_("green")}
ROLE = {
    Role.COORDINATOR: N_("coordinator"),
    Role.LEADER: N_("leader"),
    Role.OWNER: N_("owner"),
    Role.LIAISON: N_("co-unit liaison"),
}
COLUMN = {
    "code": N_("Code"),
    "area": N_("Area"),
    "problem": N_("Problem"),
    "measure": N_("Measure"),
    "leader": N_("Responsible leader"),
    "lead_unit": N_("Lead unit"),
    "co_units": N_("Co-units"),
    "owner": N_("Owner"),
    "deadline": N_("Deadline"),
    "status": N_("Status"),
    "progress": N_("Progress"),
    "original": N_("Original deadline"),
    "contact": N_("Contact"),
}
LEDGER_PROBLEM = {
    Problem.UNREADABLE_FILE: N_("the file cannot be read (is it a real CSV or XLSX file?)"),
    Problem.UNSUPPORTED_TYPE: N_(
        "only spreadsheets can be imported (CSV, XLSX, XLS, XLSM, XLSB or ODS)"
    ),
    Problem.TOO_LARGE: N_("the file is too large"),
    Problem.TOO_MANY_ROWS: N_("the file has too many rows"),
    Problem.EMPTY_FILE: N_("the file has no measures"),
    Problem.MISSING_COLUMN: N_("missing column"),
    Problem.DUPLICATE_COLUMN: N_("the column appears twice"),
    Problem.MISSING_VALUE: N_("missing required value"),
    Problem.DUPLICATE_CODE: N_("duplicate code"),
    Problem.UNKNOWN_STATUS: N_("unknown status"),
    Problem.BAD_DATE: N_("impossible or unreadable date"),
    Problem.TOO_LONG: N_("text is too long"),
}

INVALID = N_("invalid value")
LEDGER_PROBLEM.update(
    {
        Problem.UNCLOSED_QUOTE: N_("unclosed quote"),
        Problem.FORMULA_NO_VALUE: N_(
            "holds a formula without a value — save the file in Excel and send it again"
        ),
        Problem.SEVERAL_SHEETS: N_("several sheets hold a ledger; choose one"),
        Problem.NO_SUCH_SHEET: N_("no sheet of that name; the workbook has"),
        Problem.ENCRYPTED: N_(
            "the workbook needs a password to open: remove the password in Excel"
            " (File, Info, Protect Workbook) and send it again"
        ),
        Problem.HTML_FILE: N_(
            "the file is a web page (HTML) saved under a spreadsheet name, as OA systems export"
            " it: open it in Excel, save it as an Excel workbook (.xlsx) and send that"
        ),
        Problem.NO_YEAR: N_(
            "the date has no year, and the ledger's year is not clear from its title or its"
            " other dates: write the year, or put it in the title line above the table"
        ),
        Problem.AMBIGUOUS_STATUS: N_("unknown status"),
    }
)


def status(t: Tr, value: Status) -> str:
    """A status in the reader's language."""
    return t._(STATUS[value])


def health(t: Tr, value: Health) -> str:
    """An owner-reported health in the reader's language."""
    return t._(HEALTH[value])


def column(t: Tr, key: str | None) -> str:
    """A ledger column's name in the reader's language."""
    return t._(COLUMN[key]) if key in COLUMN else (key or "")


def ledger_problem(t: Tr, value: Problem) -> str:
    """Why a ledger row was refused, in the reader's language."""
    return t._(LEDGER_PROBLEM.get(value, INVALID))


def period_words(t: Tr, beat: Beat, period: str, today: date) -> str:
    """A period as people say it, never its key: the week's days, the review day, the month."""
    if beat is Beat.REPORT:
        return t.month(int(period[:4]), int(period[5:7]))
    if beat is Beat.REVIEW:
        return t.when(date.fromisoformat(period), today)
    year, week = int(period[:4]), int(period[6:8])
    return t.week(date.fromisocalendar(year, week, 1), today)
