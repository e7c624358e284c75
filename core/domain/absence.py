"""Out of office (/away): valid periods, who may stand in, and who answers meanwhile."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class Away(Protocol):
    """An absence as the rules see it."""

    @property
    def person_id(self) -> int: ...

    @property
    def delegate_id(self) -> int | None: ...


@dataclass(frozen=True)
class Someone:
    """A person as the delegate rule sees them."""

    id: int
    unit_id: int | None
    bound: bool  # uses the bot (has a Telegram account bound)


MAX_AWAY = timedelta(days=366)  # longer is a change of owner (/handover), not an absence


def too_long(start: date, end: date, today: date) -> bool:
    """An absence longer than a year, or beginning more than a year ahead."""
    return end - start >= MAX_AWAY or start - today >= MAX_AWAY


def valid_period(start: date, end: date, today: date) -> bool:
    """An absence runs forward in time and does not end in the past."""
    return start <= end and end >= today


def may_stand_in(owner: Someone, delegate: Someone) -> bool:
    """A delegate is anyone else of the programme who already uses the bot (a unit often has one
    liaison, so the stand-in may come from another unit or the task force)."""
    return delegate.id != owner.id and delegate.bound


def may_answer(*, person_id: int, owner_id: int, away: Iterable[Away]) -> bool:
    """The owner answers for their measures; while they are away, so does their delegate."""
    return person_id == owner_id or any(
        a.person_id == owner_id and a.delegate_id == person_id for a in away
    )


def recipient(owner_id: int, away: Mapping[int, Away], bound: Container[int]) -> int | None:
    """Who gets an owner's dispatch: the owner; while they are away, their stand-in if bound;
    else nobody (paused, and not counted as silence)."""
    absence = away.get(owner_id)
    if absence is None:
        return owner_id
    delegate = absence.delegate_id
    return delegate if delegate is not None and delegate in bound else None


def cut_short(start: date, end: date, today: date) -> tuple[date, date]:
    """An absence ended by /back: it stops yesterday (one not yet begun becomes empty)."""
    yesterday = today - timedelta(days=1)
    return (yesterday, yesterday) if start >= today else (start, yesterday)
