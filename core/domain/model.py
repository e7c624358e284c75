"""Core domain vocabulary shared by rules, storage and renderers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache


class Status(StrEnum):
    """Lifecycle of a measure (DOMAIN.md, Statuses)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    LONG_TERM = "long_term"
    PENDING_SIGNOFF = "pending_signoff"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def is_open(self) -> bool:
        return self is not Status.CLOSED


# the statuses an owner reports on: dispatched, nudged and offered answer buttons
ANSWERABLE = frozenset({Status.NOT_STARTED, Status.IN_PROGRESS, Status.LONG_TERM, Status.REOPENED})


class Health(StrEnum):
    """What the owner last reported about a measure."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BLOCKED = "blocked"


class Light(StrEnum):
    """Traffic light (红黄绿灯)."""

    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"


class Role(StrEnum):
    """A person's role in one programme."""

    COORDINATOR = "coordinator"
    LEADER = "leader"
    OWNER = "owner"
    LIAISON = "liaison"  # a co-unit's liaison (配合单位联络员): answers the unit's share only


class Beat(StrEnum):
    """The scheduled beats of the rhythm."""

    DISPATCH = "dispatch"
    NUDGE = "nudge"
    REVIEW = "review"
    REPORT = "report"
    SPOTCHECK = "spotcheck"  # 随机抽查: the month's draw


@dataclass(frozen=True, slots=True)
class Answer:
    """An owner's latest answer about a measure, as the people who decide should read it."""

    health: Health | None  # None: a progress note that came with the ledger
    at: datetime
    by: str
    percent: int | None = None
    note: str = ""
    blockers: str = ""
    lookback: str = ""  # a look-back's verdict (holds, rebound) when the answer is one


@dataclass(frozen=True, slots=True)
class MeasureFacts:
    """What the rules need to know about one measure on a given day."""

    code: str
    text: str
    area_number: int
    area: str
    problem: str
    leader: str
    lead_unit: str
    owner: str
    deadline: date | None  # None: long-term (长期)
    status: Status
    health: Health | None = None
    silent_dispatches: int = 0  # most recent dispatches in a row without an answer
    closed_on: date | None = None
    co_units: tuple[str, ...] = ()
    last_update: datetime | None = None
    latest: Answer | None = None
    immediate: bool = False  # 立行立改: deadline is the import date, with a week's grace
    original_deadline: date | None = None  # before an approved extension (申请延期)
    # when the owner's percentages reach 100% at their pace (core.domain.forecast); None: unsaid
    forecast: date | None = None

    @property
    def scored_deadline(self) -> date | None:
        """The deadline the on-time rate counts against: the original one, extensions aside."""
        return self.original_deadline or self.deadline


NUMERALS = "零〇一二三四五六七八九十百千两"
_PARTS = re.compile(rf"\d+|[{NUMERALS}]+|[^\d{NUMERALS}]+", re.ASCII)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int:
    """一 → 1, 十一 → 11, 二十 → 20, 一百零五 → 105, 二〇二四 → 2024 (digit by digit)."""
    if not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = digit = 0
    for ch in text:
        if ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            digit = _DIGITS[ch]
    return total + digit


# every picture sorts every code at least once: at 10,000 measures parsing them was a third of it
@lru_cache(maxsize=1 << 16)
def code_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Natural sort key: 1.2.9 before 1.2.10, A-2 before A-10, full-width digits as digits,
    Chinese numerals as numbers (九、 before 十、 before 十一、); （一） compares as (一)."""
    # NFKC then ASCII digit runs only: '²'.isdigit() is True but int('²') fails
    text = unicodedata.normalize("NFKC", code).casefold()
    return tuple(
        (0, int(part), "")
        if part.isdecimal()
        else (0, chinese_number(part), "")
        if part[0] in NUMERALS
        else (1, 0, part)
        for part in _PARTS.findall(text)
    )
