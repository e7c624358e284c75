"""Button kinds of /circular: pick a unit to commend or name, preview, issue, edit."""

from __future__ import annotations

from dataclasses import dataclass

from core.render.callback_codec import Button, ident, one_of, page

STANCES = ("commend", "name")  # core.domain.circulars.Stance values
STEPS = ("preview", "issue", "edit")


@dataclass(frozen=True)
class CircularPick(Button):
    """Commend or name the unit at this place of the draft's ranking."""

    PREFIX = "cirp"
    FIELDS = (ident, one_of(*STANCES), page)
    draft: int
    stance: str
    unit: int


@dataclass(frozen=True)
class CircularStep(Button):
    """Preview the draft, issue it, or go back to editing it."""

    PREFIX = "cirs"
    FIELDS = (ident, one_of(*STEPS))
    draft: int
    step: str
