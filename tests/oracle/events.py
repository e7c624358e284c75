"""What happens to a programme, as plain data: the histories the oracle generates and plays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")

# China's calendar from August 2024 to the end of 2025, written out here (from the State
# Council's notices) rather than asked of the product: 中秋 15-17 Sep (调休 Sat 14 Sep), 国庆 1-7
# Oct (调休 Sun 29 Sep and Sat 12 Oct); 2025 for the deadlines extensions push into it and the
# forecasts that run past them
HOLIDAYS = frozenset(
    {date(2024, 9, 15), date(2024, 9, 16), date(2024, 9, 17)}
    | {date(2024, 10, d) for d in range(1, 8)}
    | {
        date(2025, 1, 1),
        *(date(2025, 1, d) for d in range(28, 32)),
        *(date(2025, 2, d) for d in range(1, 5)),
    }
    | {date(2025, 4, 4), date(2025, 4, 5), date(2025, 4, 6)}
    | {date(2025, 5, d) for d in range(1, 6)}
    | {date(2025, 5, 31), date(2025, 6, 1), date(2025, 6, 2)}
    | {date(2025, 10, d) for d in range(1, 9)}
)
WORKING_WEEKENDS = frozenset(
    {date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12)}
    | {
        date(2025, 1, 26),
        date(2025, 2, 8),
        date(2025, 4, 27),
        date(2025, 9, 28),
        date(2025, 10, 11),
    }
)


def is_workday(day: date) -> bool:
    """A working day in mainland China in late 2024."""
    return day in WORKING_WEEKENDS or (day.weekday() < 5 and day not in HOLIDAYS)


def next_workday(day: date) -> date:
    """The day itself when it is a working day, else the next one."""
    while not is_workday(day):
        day += timedelta(days=1)
    return day


def add_workdays(day: date, n: int) -> date:
    """The n-th working day after day."""
    while n > 0:
        day += timedelta(days=1)
        n -= is_workday(day)
    return day


def at(day: date, hh: int, mm: int = 0) -> datetime:
    """A moment in Shanghai."""
    return datetime.combine(day, time(hh, mm), tzinfo=SH)


@dataclass(frozen=True)
class Row:
    """One line of an imported ledger; kind: dated | long | immediate."""

    code: str
    area: str
    unit: str
    owner: str
    kind: str
    deadline: date | None
    status: str  # not_started | in_progress | closed | long_term


@dataclass(frozen=True)
class Import:
    """The office imports its ledger; after the first, codes missing from it are removed."""

    at: datetime
    rows: tuple[Row, ...]
    first: bool = False


@dataclass(frozen=True)
class Answer:
    """The owner answers about one measure (and may ask for sign-off with it)."""

    at: datetime
    code: str
    health: str  # on_track | at_risk | blocked
    percent: int
    note: str
    signoff: bool = False


@dataclass(frozen=True)
class Dispatch:
    """The weekly dispatch goes out; it does not reach the owners named."""

    at: datetime
    unreachable: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Decide:
    """A coordinator decides the measure's pending request (sign-off or extension)."""

    at: datetime
    code: str
    approve: bool


@dataclass(frozen=True)
class AskExtension:
    """The owner asks for a later deadline (申请延期)."""

    at: datetime
    code: str
    new_deadline: date


@dataclass(frozen=True)
class LookBack:
    """回头看 of a signed-off measure: it holds, or it rebounds (reopens)."""

    at: datetime
    code: str
    rebound: bool


@dataclass(frozen=True)
class Schedule:
    """The task force moves the weekly dispatch to another weekday (0 = Monday)."""

    at: datetime
    weekday: int


@dataclass(frozen=True)
class Retire:
    """A coordinator retires a measure in chat (/edit): out of every figure from then on."""

    at: datetime
    code: str


Event = Import | Answer | Dispatch | Decide | AskExtension | LookBack | Schedule | Retire


@dataclass(frozen=True)
class History:
    """A programme's life: created at start, then its events in time order; checked at checks."""

    start: datetime
    events: tuple[Event, ...]
    checks: tuple[datetime, ...] = ()

    @property
    def end(self) -> datetime:
        """Just after the last event."""
        last = self.events[-1].at if self.events else self.start
        return last + timedelta(minutes=1)
