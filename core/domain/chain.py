"""The audit trail's hash chain: each event seals its own fields and the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

GENESIS = ""  # the first event of a programme has no previous hash


@dataclass(frozen=True)
class Sealed:
    """What the hash covers, plus the stored seal to check it against."""

    id: int
    programme_id: int
    seq: int
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: str
    after: str
    at: datetime
    prev_hash: str = ""
    hash: str = ""


def _instant(at: datetime) -> str:
    # one spelling of the moment whatever time zone the driver hands back
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def seal(
    *,
    programme_id: int,
    seq: int,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: str,
    after: str,
    at: datetime,
    prev_hash: str,
) -> str:
    """The SHA-256 of the event's fields and the previous hash, as hex."""
    body = [programme_id, seq, actor, action, entity, entity_id, before, after, _instant(at)]
    payload = json.dumps([*body, prev_hash], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Hashed(Protocol):
    """The fields a seal covers, as a stored event or its chain view carries them."""

    @property
    def programme_id(self) -> int: ...
    @property
    def seq(self) -> int: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def entity(self) -> str: ...
    @property
    def entity_id(self) -> int | None: ...
    @property
    def before(self) -> str: ...
    @property
    def after(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def prev_hash(self) -> str: ...


def seal_of(e: Hashed) -> str:
    """The hash this event should carry."""
    return seal(
        programme_id=e.programme_id,
        seq=e.seq,
        actor=e.actor,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        before=e.before,
        after=e.after,
        at=e.at,
        prev_hash=e.prev_hash,
    )


@dataclass(frozen=True)
class Break:
    """The first event where the chain does not hold, and why."""

    event: Sealed
    reason: str  # "sequence" | "link" | "hash"


def first_break(events: Iterable[Sealed]) -> Break | None:
    """Walk one programme's events in sequence order; the first that does not hold, or None."""
    prev, expected = GENESIS, 1
    for e in events:
        if e.seq != expected:
            return Break(e, "sequence")
        if e.prev_hash != prev:
            return Break(e, "link")
        if seal_of(e) != e.hash:
            return Break(e, "hash")
        prev, expected = e.hash, expected + 1
    return None


SHORT = 12  # hex digits of a head shown in chat: enough to compare by eye, and to look it up


@dataclass(frozen=True)
class Anchor:
    """A programme's chain at one moment, kept outside the database (in the monthly reports):
    how many events it had and the newest one's hash."""

    count: int
    head: str

    @property
    def short(self) -> str:
        """The head as chat shows it."""
        return self.head[:SHORT]


def anchor_problem(chain: Iterable[tuple[int, str]], count: int | None, head: str) -> str | None:
    """Why the chain (seq, hash pairs, in order) no longer holds an anchor, or None if it does.

    `head` may be a prefix (chat shows 12 digits, the DOCX all 64); `count` is the anchor's
    event count when it is known. A deleted newest event, or an event edited and re-sealed,
    leaves the anchored head missing at its place.
    """
    head = head.strip().lower()
    pairs = list(chain)
    last = pairs[-1][0] if pairs else 0
    if count is not None:
        if last < count:
            return (
                f"the chain has {last} events but the anchor counted {count}: "
                "the newest events were deleted"
            )
        found = dict(pairs).get(count, "")
        if not found.startswith(head):
            return (
                f"event {count} is sealed {found[:SHORT]}, the anchor says {head[:SHORT]}: "
                "the chain was rewritten and sealed again"
            )
        return None
    if not any(h.startswith(head) for _, h in pairs):
        return (
            f"no event is sealed {head[:SHORT]} (the chain has {last} events): the newest "
            "events were deleted, or the chain was rewritten and sealed again"
        )
    return None
