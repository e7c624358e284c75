"""How a set of measures stands on a day: statuses and lights counted, overall and by area."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core.domain.filters import Placed
from core.domain.lights import Lamp, days_overdue, light
from core.domain.model import Light, Status


@dataclass(frozen=True)
class Counts:
    """How a set of measures stands on a day."""

    total: int = 0
    closed: int = 0
    overdue: int = 0
    pending: int = 0
    long_term: int = 0
    red: int = 0
    yellow: int = 0
    green: int = 0

    @property
    def open(self) -> int:
        """Measures not closed."""
        return self.total - self.closed

    @property
    def on_schedule(self) -> int:
        """Open measures that are not overdue (按时序推进)."""
        return self.open - self.overdue


Lit = Mapping[int, Light | None]  # id(measure) -> its light: computed once per picture


def lights_of(measures: Iterable[Lamp], today: date) -> dict[int, Light | None]:
    """Each measure's light on the day, keyed by the measure object (a picture's own list)."""
    return {id(m): light(m, today) for m in measures}


def add(c: Counter[str], status: Status, shade: Light | None, late: bool, n: int = 1) -> None:
    """Count n measures of a status, light and lateness into c."""
    c["total"] += n
    c["closed"] += n * (status is Status.CLOSED)
    c["overdue"] += n * late
    c["pending"] += n * (status is Status.PENDING_SIGNOFF)
    c["long_term"] += n * (status is Status.LONG_TERM)
    if shade is not None:
        c[shade.value] += n


def count(measures: Iterable[Lamp], today: date, lit: Lit | None = None) -> Counts:
    """Count statuses and lights."""
    kinds = Counter(
        (m.status, lit[id(m)] if lit is not None else light(m, today), days_overdue(m, today) > 0)
        for m in measures
    )
    c: Counter[str] = Counter()
    for (status, shade, late), n in kinds.items():
        add(c, status, shade, late, n)
    return of_counter(c)


@dataclass(frozen=True)
class Group:
    """Counts for one area or unit."""

    key: str
    counts: Counts
    number: int = 0
    answer_rate: float | None = None
    on_time_rate: float | None = None


def of_counter(c: Counter[str]) -> Counts:
    """Counts from a Counter of their field names."""
    return Counts(**{k: v for k, v in c.items() if v})


def by_area(measures: Sequence[Placed], today: date, lit: Lit | None = None) -> list[Group]:
    """Counts per area, in area order."""
    lit = lit if lit is not None else lights_of(measures, today)
    areas: dict[int, list[Placed]] = {}
    names: dict[int, str] = {}
    for m in measures:
        areas.setdefault(m.area_number, []).append(m)
        names.setdefault(m.area_number, m.area)
    return [Group(names[n], count(mine, today, lit), number=n) for n, mine in sorted(areas.items())]
