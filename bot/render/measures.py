"""One-line views of measures for chat messages."""

from __future__ import annotations

from datetime import date

from bot.domain.lights import days_overdue, light
from bot.domain.model import MeasureFacts
from bot.i18n import Tr
from bot.render import labels

SHORT = 40


def short(text: str, limit: int = SHORT) -> str:
    """Cut long measure texts for lists."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def deadline(t: Tr, m: MeasureFacts) -> str:
    """The deadline, or long-term."""
    return t.date(m.deadline) if m.deadline else t._("long-term")


def line(t: Tr, m: MeasureFacts, today: date, *, owner: bool = False) -> str:
    """🔴 1.2.3 Text… · due 30 Sep 2024 · in progress (· 5 days overdue)."""
    lit = light(m, today)
    parts = [f"{labels.LIGHT_ICON[lit]} {m.code} {short(m.text)}"]
    parts.append(t._("due {date}", date=deadline(t, m)))
    parts.append(labels.status(t, m.status))
    if m.health is not None and lit is not None:
        parts.append(labels.health(t, m.health))
    late = days_overdue(m, today)
    if late:
        parts.append(t.n_("{n} day overdue", "{n} days overdue", late))
    if owner:
        parts.append(m.owner)
    return " · ".join(parts)
