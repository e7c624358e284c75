"""群众监督: the public's channel, its limits and when an item counts as unanswered; pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.domain.workcal import CalendarKind, add_workdays

PAYLOAD = "jiandu"  # t.me/<bot>?start=jiandu (one programme) or jiandu_<key> (any number)
KEY_LENGTH = 8
MAX_TEXT = 1000  # characters of one item, and of one answer
MAX_PHOTOS = 3
PER_DAY = 5  # items one sender may send in a day
MAX_NOISE = 10  # messages that fit no step of a draft before the draft is dropped (flooding)
ANSWER_WITHIN = 5  # working days before an unanswered item is listed in the review
_LINK = re.compile(rf"{PAYLOAD}(?:_([A-Za-z0-9]{{{KEY_LENGTH}}}))?")


@dataclass(frozen=True)
class Link:
    """A public deep link's payload: which programme's key, or none (the only programme)."""

    key: str | None


def parse_payload(payload: str) -> Link | None:
    """The public link a /start payload is, or None when it is something else (an invite)."""
    found = _LINK.fullmatch(payload)
    return Link(found[1]) if found else None


def payload_of(key: str) -> str:
    """The /start payload of a programme's public link."""
    return f"{PAYLOAD}_{key}"


def answer_due(received: date, kind: CalendarKind) -> date:
    """The last day to answer an item before the review lists it."""
    return add_workdays(received, ANSWER_WITHIN, kind)


def overdue(received: date, today: date, kind: CalendarKind) -> bool:
    """Unanswered for more than ANSWER_WITHIN working days."""
    return answer_due(received, kind) < today


def may_send(sent_today: int) -> bool:
    """One sender sends at most PER_DAY items a day."""
    return sent_today < PER_DAY


@dataclass(frozen=True)
class PublicTally:
    """Items received in a period, answered of them, and open (unanswered) at its end."""

    received: int
    answered: int
    open: int
