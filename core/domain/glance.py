"""A picture at scale: lean rows of measures, counted in one pass, the most urgent few ranked."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, NamedTuple, Protocol, TypeVar

from core.domain.counts import Counts, Group, add, of_counter
from core.domain.filters import Placed
from core.domain.lights import days_overdue, lamp_inputs, light
from core.domain.model import Health, Light, Status, code_key

# red, yellow and overdue items a /summary carries in full: the text lists 10, the 督办 buttons 12
LISTED = 12


class Row(NamedTuple):
    """One live measure for counts and lights; full facts are loaded only for those listed."""

    id: int
    code: str
    area_number: int
    area: str
    lead_unit: str
    co_units: tuple[str, ...]
    deadline: date | None
    status: Status
    health: Health | None
    immediate: bool
    # SILENT_DISPATCHES when the last that many went unanswered, else 0: all a light reads
    silent_dispatches: int
    forecast: date | None = None  # core.domain.forecast's projection, as stored with the measure


class Ranked(Placed, Protocol):
    """A measure a picture ranks: placed, lit, and known by its code."""

    @property
    def code(self) -> str: ...


R = TypeVar("R", bound=Ranked)


@dataclass(frozen=True)
class Glance(Generic[R]):
    """Counts and lights of every measure, with the most urgent few of each list."""

    counts: Counts
    areas: list[Group]
    red: list[R]
    yellow: list[R]
    overdue: list[tuple[R, int]]  # with days overdue, longest first


def glance(measures: Sequence[R], today: date, listed: int = LISTED) -> Glance[R]:
    """Light and count every measure in one pass; rank only what is listed (a partial sort).

    Measures with the same light inputs share one computation: at scale most of them do.
    """
    same: dict[tuple[object, ...], tuple[Light | None, int]] = {}
    kinds: Counter[tuple[int, str, Status, Light | None, bool]] = Counter()
    red: list[R] = []
    yellow: list[R] = []
    late: list[tuple[R, int]] = []
    for m in measures:
        key = lamp_inputs(m)
        known = same.get(key)
        if known is None:
            known = same[key] = (light(m, today), days_overdue(m, today))
        shade, days = known
        kinds[(m.area_number, m.area, m.status, shade, days > 0)] += 1
        if shade is Light.RED:
            red.append(m)
        elif shade is Light.YELLOW:
            yellow.append(m)
        if days:
            late.append((m, days))
    total: Counter[str] = Counter()
    areas: dict[tuple[int, str], Counter[str]] = {}
    for (number, area, status, shade, is_late), n in kinds.items():
        add(total, status, shade, is_late, n)
        add(areas.setdefault((number, area), Counter()), status, shade, is_late, n)

    def ledger_order(m: R) -> tuple[int, tuple[tuple[int, int, str], ...]]:
        return (m.area_number, code_key(m.code))

    return Glance(
        counts=of_counter(total),
        areas=[Group(name, of_counter(c), number=n) for (n, name), c in sorted(areas.items())],
        red=heapq.nsmallest(listed, red, ledger_order),
        yellow=heapq.nsmallest(listed, yellow, ledger_order),
        overdue=heapq.nsmallest(listed, late, lambda o: (-o[1], code_key(o[0].code))),
    )
