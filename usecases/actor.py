"""Who acts in a use case."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The person acting: their person in the programme, their name, how the audit names them."""

    person_id: int
    name: str
    audit: str  # e.g. tg:123
