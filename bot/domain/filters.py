"""/summary filters: overdue, area N, unit NAME."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.domain.lights import days_overdue
from bot.domain.model import MeasureFacts
from bot.domain.numbers import typed_int

OVERDUE_WORDS = {"overdue", "逾期", "超期"}
AREA_WORDS = {"area", "方面"}
UNIT_WORDS = {"unit", "单位"}


@dataclass(frozen=True)
class Filter:
    """A parsed /summary filter; kind is '', 'overdue', 'area' or 'unit'."""

    kind: str = ""
    value: str = ""


class FilterError(ValueError):
    """The arguments are not a filter we know."""


def parse(args: Sequence[str]) -> Filter:
    """Read `/summary` arguments."""
    if not args:
        return Filter()
    head, rest = args[0].lower(), " ".join(args[1:]).strip()
    if head in OVERDUE_WORDS and not rest:
        return Filter("overdue")
    area = typed_int(rest, 1, 999)
    if head in AREA_WORDS and area is not None:
        return Filter("area", str(area))
    if head in UNIT_WORDS and rest:
        return Filter("unit", rest)
    raise FilterError(" ".join(args))


def apply(f: Filter, measures: Sequence[MeasureFacts], today: date) -> list[MeasureFacts]:
    """The measures a filter keeps (unit matches lead or co-units, by substring)."""
    if f.kind == "overdue":
        return [m for m in measures if days_overdue(m, today) > 0]
    if f.kind == "area":
        return [m for m in measures if m.area_number == int(f.value)]
    if f.kind == "unit":
        needle = f.value.casefold()
        return [
            m
            for m in measures
            if needle in m.lead_unit.casefold() or any(needle in u.casefold() for u in m.co_units)
        ]
    return list(measures)
