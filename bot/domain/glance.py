"""A measure as a picture at scale reads it: the light inputs and where it sits, nothing more."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from bot.domain.model import Health, Status

# red, yellow and overdue items a /summary carries in full: the text lists 10, the 督办 buttons 12
LISTED = 12


class Row(NamedTuple):
    """One live measure for counts and lights; full facts are loaded only for those listed."""

    id: int
    code: str
    area_number: int
    area: str
    lead_unit: str
    co_units: tuple[str, ...]
    deadline: date | None
    status: Status
    health: Health | None
    immediate: bool
    # the last dispatches unanswered in a row, counted only up to lights.SILENT_DISPATCHES
    silent_dispatches: int
