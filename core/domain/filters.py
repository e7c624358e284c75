"""/summary filters as people type them: overdue, an area (number or name), a unit (name or prefix)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar

from core.domain.lights import Lamp, days_overdue

OVERDUE_WORDS = frozenset({"overdue", "late", "逾期", "超期", "已逾期"})
AREA_WORDS = ("area", "方面")
UNIT_WORDS = ("unit", "单位", "部门")
_DIGITS = "零一二三四五六七八九"
# 方面1, area 2, 第一方面, 第1方面, 第一个方面, 方面一
_AREA_NUMBER = re.compile(
    r"^(?:(?:area|方面)\s*(?P<a>[0-9]+|[零一二三四五六七八九十]+)"
    r"|第\s*(?P<b>[0-9]+|[零一二三四五六七八九十]+)\s*个?\s*方面)$",
    re.IGNORECASE,
)


class Placed(Lamp, Protocol):
    """Where a measure sits, as filters read it (full facts or a picture's lean row)."""

    @property
    def area_number(self) -> int: ...
    @property
    def area(self) -> str: ...
    @property
    def lead_unit(self) -> str: ...
    @property
    def co_units(self) -> tuple[str, ...]: ...


M = TypeVar("M", bound=Placed)


class Kind(StrEnum):
    """What a filter keeps."""

    ALL = ""
    OVERDUE = "overdue"
    AREA = "area"
    UNIT = "unit"


@dataclass(frozen=True)
class Filter:
    """A resolved /summary filter: the area number or the unit's exact name in `value`."""

    kind: Kind = Kind.ALL
    value: str = ""


EVERYTHING = Filter()


class Problem(StrEnum):
    """Why arguments are not a filter."""

    UNKNOWN = "unknown"
    NO_AREA = "no_area"
    AMBIGUOUS = "ambiguous"


@dataclass
class FilterError(ValueError):
    """The arguments name nothing, or more than one thing."""

    problem: Problem
    text: str
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Known:
    """The names a programme's filters can refer to."""

    areas: Sequence[tuple[int, str]]
    units: Sequence[str]

    @classmethod
    def of(cls, measures: Sequence[Placed]) -> Known:
        """The areas and units the measures mention, in first-seen order."""
        areas = dict.fromkeys((m.area_number, m.area) for m in measures)
        units = dict.fromkeys(u for m in measures for u in (m.lead_unit, *m.co_units) if u)
        return cls(areas=sorted(areas), units=list(units))


def chinese_number(text: str) -> int | None:
    """1–99 written in ASCII digits or Chinese numerals (三, 十二, 二十一); None otherwise."""
    if text.isascii() and text.isdigit():
        return int(text)
    if not text or any(c not in _DIGITS + "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(_DIGITS.index(c)) for c in text)) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in tens + ones:
        return None
    value = (_DIGITS.index(tens) if tens else 1) * 10 + (_DIGITS.index(ones) if ones else 0)
    return value or None


def _match(needle: str, names: Sequence[str]) -> list[str]:
    """Exact name first, else unique prefix, else unique substring (case-insensitive)."""
    low = needle.casefold()
    for test in (
        lambda n: n.casefold() == low,
        lambda n: n.casefold().startswith(low),
        lambda n: low in n.casefold(),
    ):
        found = [n for n in names if test(n)]
        if found:
            return found
    return []


def _one(found: list[str], text: str) -> str:
    if len(found) > 1:
        raise FilterError(Problem.AMBIGUOUS, text, found)
    return found[0]


def _area_by_number(number: int, known: Known, text: str) -> Filter:
    if number not in {n for n, _ in known.areas}:
        raise FilterError(Problem.NO_AREA, text, [f"{n} {name}" for n, name in known.areas])
    return Filter(Kind.AREA, str(number))


def _named(rest: str, known: Known, *, areas: bool, units: bool, text: str) -> Filter:
    area_names = [name for _, name in known.areas] if areas else []
    hits = _match(rest, area_names)
    if hits:
        name = _one(hits, text)
        return Filter(Kind.AREA, str(next(n for n, a in known.areas if a == name)))
    hits = _match(rest, known.units) if units else []
    if hits:
        return Filter(Kind.UNIT, _one(hits, text))
    raise FilterError(Problem.UNKNOWN, text)


def parse(args: Sequence[str], known: Known) -> Filter:
    """Read `/summary` arguments against the programme's areas and units."""
    text = " ".join(args).strip()
    if not text:
        return Filter()
    if text.casefold() in OVERDUE_WORDS:
        return Filter(Kind.OVERDUE)
    number = _AREA_NUMBER.match(text)
    if number:
        value = chinese_number(number.group("a") or number.group("b") or "")
        if value is not None:
            return _area_by_number(value, known, text)
    head, _, rest = text.partition(" ")
    rest = rest.strip()
    if head.casefold() in AREA_WORDS and rest:
        return _named(rest, known, areas=True, units=False, text=text)
    if head.casefold() in UNIT_WORDS and rest:
        return _named(rest, known, areas=False, units=True, text=text)
    for word in UNIT_WORDS[1:]:  # 单位建设局, written without a space
        if text.startswith(word) and len(text) > len(word):
            return _named(text[len(word) :], known, areas=False, units=True, text=text)
    return _named(text, known, areas=True, units=True, text=text)


def apply(f: Filter, measures: Sequence[M], today: date) -> list[M]:
    """The measures a filter keeps (a unit keeps those it leads and those it co-works on)."""
    if f.kind is Kind.OVERDUE:
        return [m for m in measures if days_overdue(m, today) > 0]
    if f.kind is Kind.AREA:
        return [m for m in measures if m.area_number == int(f.value)]
    if f.kind is Kind.UNIT:
        return [m for m in measures if m.lead_unit == f.value or f.value in m.co_units]
    return list(measures)


def unit_share(f: Filter, measures: Sequence[Placed]) -> tuple[int, int] | None:
    """For a unit filter: how many of the kept measures it leads and how many it co-works on."""
    if f.kind is not Kind.UNIT:
        return None
    lead = sum(1 for m in measures if m.lead_unit == f.value)
    return lead, sum(1 for m in measures if m.lead_unit != f.value and f.value in m.co_units)
