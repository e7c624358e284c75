"""How a measure's status moves (DOMAIN.md, Statuses): one table, decided here, stored elsewhere."""

from __future__ import annotations

from enum import StrEnum

from core.domain.model import ANSWERABLE, Status


class Event(StrEnum):
    """What can happen to a measure."""

    ANSWER = "answer"  # the owner reports progress
    REQUEST_SIGNOFF = "request_signoff"  # the owner says done (申请销号)
    APPROVE = "approve"  # a coordinator signs it off (销号)
    REJECT = "reject"  # a coordinator sends it back (退回)
    REBOUND = "rebound"  # the look-back (回头看) finds the problem back (反弹)


class TransitionError(ValueError):
    """The event cannot happen to a measure in this status."""


_NEXT: dict[Event, dict[Status, Status]] = {
    Event.ANSWER: {
        Status.NOT_STARTED: Status.IN_PROGRESS,
        Status.IN_PROGRESS: Status.IN_PROGRESS,
        Status.LONG_TERM: Status.LONG_TERM,
        Status.REOPENED: Status.IN_PROGRESS,
    },
    # long-term measures (长期坚持) never close: they report on the same rhythm
    Event.REQUEST_SIGNOFF: {s: Status.PENDING_SIGNOFF for s in ANSWERABLE - {Status.LONG_TERM}},
    Event.APPROVE: {Status.PENDING_SIGNOFF: Status.CLOSED},
    Event.REJECT: {Status.PENDING_SIGNOFF: Status.IN_PROGRESS},
    Event.REBOUND: {Status.CLOSED: Status.REOPENED},
}


def next_status(status: Status, event: Event) -> Status:
    """The status after the event; TransitionError when the event cannot happen now."""
    target = _NEXT[event].get(status)
    if target is None:
        raise TransitionError(f"{event.value} is not possible for a measure {status.value}")
    return target


def can_request_signoff(status: Status) -> bool:
    """Whether the owner may ask for sign-off now (long-term measures: never)."""
    return status in _NEXT[Event.REQUEST_SIGNOFF]


def can_answer(status: Status) -> bool:
    """Whether the owner can report on a measure now (closed or pending sign-off: no)."""
    return status in ANSWERABLE
