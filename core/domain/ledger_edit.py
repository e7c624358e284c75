"""Editing the ledger in chat: what a coordinator may type for each field, read as stored values."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from core.domain.ledger_dates import parse_deadline
from core.domain.ledger_words import (
    CODE_MAX,
    IMMEDIATE_KEYS,
    NAME_MAX,
    TEXT_MAX,
    clean,
    key,
    normal_code,
    split_units,
)

# what /edit changes in a measure, in the order the form shows them
FIELDS = ("text", "lead_unit", "co_units", "owner", "deadline")
# what adding a measure asks for; every one but the co-units is needed
ADD_FIELDS = ("text", "area", "problem", "lead_unit", "co_units", "owner", "deadline")
OPTIONAL = frozenset({"co_units"})
NONE_WORDS = frozenset(key(w) for w in ("无", "没有", "none", "-", "—"))
MAX_REASON = 500
MAX_QUERY = 100  # /find TEXT: longer is no search anyone types


class Refusal(StrEnum):
    """Why a typed value cannot be taken."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    BAD_DATE = "bad_date"
    IMMEDIATE = "immediate"  # 立行立改 is a file's word for a deadline set on import day


@dataclass(frozen=True)
class Read:
    """A typed value as stored (deadline: ISO date or "" for long-term), or why not."""

    value: str = ""
    refusal: Refusal | None = None
    limit: int = 0


def _limit(field: str) -> int:
    return TEXT_MAX if field in ("text", "area", "problem") else NAME_MAX


def read_value(field: str, typed: str) -> Read:
    """A coordinator's text for one field, cleaned and checked."""
    text = clean(typed, multiline=field == "text")
    if field == "co_units":
        if key(text) in NONE_WORDS or not text:
            return Read("")
        units = split_units(text)
        if any(len(u) > NAME_MAX for u in units):
            return Read(refusal=Refusal.TOO_LONG, limit=NAME_MAX)
        return Read("、".join(units))
    if not text:
        return Read(refusal=Refusal.EMPTY)
    if field == "deadline":
        if key(text) in IMMEDIATE_KEYS:
            return Read(refusal=Refusal.IMMEDIATE)
        try:
            due = parse_deadline(text)
        except ValueError:  # 2024-02-30, a word, a year of typos, a date without its year
            return Read(refusal=Refusal.BAD_DATE)
        return Read(due.isoformat() if due is not None else "")
    if len(text) > _limit(field):
        return Read(refusal=Refusal.TOO_LONG, limit=_limit(field))
    return Read(text)


def read_reason(typed: str) -> Read:
    """Why a measure is retired: a few words, at most MAX_REASON characters."""
    text = clean(typed, multiline=True)
    if not text:
        return Read(refusal=Refusal.EMPTY)
    if len(text) > MAX_REASON:
        return Read(refusal=Refusal.TOO_LONG, limit=MAX_REASON)
    return Read(text)


def new_code(typed: str, taken: Iterable[str]) -> tuple[str, bool]:
    """The code as stored, and whether it is free: codes compare width-folded ((一) is （一）)."""
    code = normal_code(typed)
    folded = {unicodedata.normalize("NFKC", c) for c in taken}
    free = (
        bool(code) and len(code) <= CODE_MAX and unicodedata.normalize("NFKC", code) not in folded
    )
    return code, free


def changes(current: Mapping[str, str], wanted: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Each field the draft changes: (before, after), in the form's order; same values drop out."""
    return {
        f: (current.get(f, ""), wanted[f])
        for f in ADD_FIELDS
        if f in wanted and wanted[f] != current.get(f, "")
    }


def missing(values: Mapping[str, str]) -> list[str]:
    """The fields a new measure still needs, in the form's order."""
    return [f for f in ADD_FIELDS if f not in OPTIONAL and f not in values]


def page_count(total: int, size: int) -> int:
    """How many pages `total` results fill, at least one."""
    return max(1, -(-total // size))
