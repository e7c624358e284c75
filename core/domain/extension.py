"""Extensions (延期): what may be asked, and what an approval does to the deadlines."""

from __future__ import annotations

from datetime import date


def may_ask(wanted: date | None, current: date) -> bool:
    """An extension asks for a real date later than the deadline in force (the same is none)."""
    return wanted is not None and wanted > current


def approved(deadline: date | None, original: date | None, new: date) -> tuple[date, date | None]:
    """(deadline, original deadline) after an approval: the on-time rate keeps counting against
    the deadline first set, however often it is extended."""
    return new, original or deadline
