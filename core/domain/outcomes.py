"""建章立制: institutional outcomes (a rule or document made for a measure) as data; pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

from core.domain.ledger_words import clean
from core.domain.model import code_key

MAX_TITLE = 200  # characters inside 《》: the longest real titles are about 60
MAX_NUMBER = 60
FIRST_YEAR = 1949  # no rule of a programme in the bot is older
QUOTES = "《》“”\"'‘’「」『』〈〉<>"
_YEAR_BRACKETS = re.compile(r"[\[(（【〔［〖]\s*(\d{4})\s*[\])）】〕］〗]")
_DATES = (
    re.compile(r"(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{1,4})年(\d{1,2})月(\d{1,2})[日号]?"),
)


class Problem(StrEnum):
    """Why a typed title, number or date cannot be kept."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    FORMAT = "format"  # no number in a document number; a date not written as a date
    IMPOSSIBLE = "impossible"  # 2024-02-30, or a year no rule of ours has
    FUTURE = "future"  # issued after today


@dataclass(frozen=True)
class Outcome:
    """One rule or document recorded for a measure, and where the ledger places it."""

    measure_id: int
    title: str  # 《…》
    number: str  # 高新党工委发〔2024〕12号
    issued_on: date
    recorded_on: date  # the day it was recorded, in the programme's time zone
    file: str = ""  # the evidence file's name, if one came with it
    code: str = ""
    area: str = ""
    area_number: int = 0


def title_of(text: str) -> str | Problem:
    """The title in 《》: the brackets added when missing, quotes around it dropped."""
    inner = " ".join(clean(text).split())
    if inner.startswith("《") and inner.endswith("》") and len(inner) > 2:
        inner = inner[1:-1].strip()
    elif inner[:1] in QUOTES or inner[-1:] in QUOTES:
        inner = inner.strip(QUOTES).strip()
    if not inner:
        return Problem.EMPTY
    if len(inner) > MAX_TITLE:
        return Problem.TOO_LONG
    return f"《{inner}》"


def number_of(text: str) -> str | Problem:
    """The document number as offices print it: the year in 〔〕, no spaces, digits half-width."""
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(text)))
    if not plain:
        return Problem.EMPTY
    plain = _YEAR_BRACKETS.sub(r"〔\1〕", plain)
    if len(plain) > MAX_NUMBER:
        return Problem.TOO_LONG
    if not any(ch.isdigit() for ch in plain):
        return Problem.FORMAT
    return plain


def issued_of(text: str, today: date) -> date | Problem:
    """The date of issue: 2024-03-15, 2024/3/15, 2024.3.15 or 2024年3月15日; not after today."""
    plain = re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(text)))
    if not plain:
        return Problem.EMPTY
    found = next((m for r in _DATES if (m := r.fullmatch(plain))), None)
    if found is None:
        return Problem.FORMAT
    year, month, day = (int(x) for x in found.groups())
    try:
        issued = date(year, month, day)
    except ValueError:
        return Problem.IMPOSSIBLE
    if year < FIRST_YEAR:
        return Problem.IMPOSSIBLE
    return Problem.FUTURE if issued > today else issued


def may_record(*, person_id: int, owners: Iterable[int], coordinator: bool) -> bool:
    """An owner (or co-owner) for their own measure; a coordinator for any measure."""
    return coordinator or person_id in set(owners)


class Located(Protocol):
    """Where the ledger places a measure: its facts, or a picture's row of them."""

    @property
    def code(self) -> str: ...
    @property
    def area(self) -> str: ...
    @property
    def area_number(self) -> int: ...


def placed(
    outcomes: Iterable[Outcome], facts: Sequence[Located], codes: Mapping[int, str]
) -> list[Outcome]:
    """The outcomes of the measures in `facts` (the ledger then), with code and area, in
    ledger order, oldest issue first within a measure."""
    by_code = {f.code: f for f in facts}
    out = []
    for o in outcomes:
        f = by_code.get(codes.get(o.measure_id, ""))
        if f is not None:
            out.append(replace(o, code=f.code, area=f.area, area_number=f.area_number))
    return sorted(out, key=lambda o: (o.area_number, code_key(o.code), o.issued_on, o.number))


def by_area(outcomes: Sequence[Outcome]) -> list[tuple[str, list[Outcome]]]:
    """(area, its outcomes) in area order; `outcomes` as placed() returns them."""
    groups: dict[int, tuple[str, list[Outcome]]] = {}
    for o in outcomes:
        groups.setdefault(o.area_number, (o.area, []))[1].append(o)
    return [groups[n] for n in sorted(groups)]


def in_month(outcomes: Iterable[Outcome], year: int, month: int) -> int:
    """How many were recorded in a month."""
    return sum(1 for o in outcomes if (o.recorded_on.year, o.recorded_on.month) == (year, month))
