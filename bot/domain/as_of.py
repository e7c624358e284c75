"""Measures as they stood on an earlier day: later changes undone from what they recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from bot.domain.ledger_plan import IMMEDIATE
from bot.domain.model import Health, MeasureFacts, Status

FIELDS = ("status", "health", "closed_on", "deadline", "original_deadline", "immediate")
NEW = "new"  # marks a measure that did not exist yet


def earliest_before(changes: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """From one measure's later changes, oldest first: each field's value before the first."""
    out: dict[str, Any] = {}
    for action, before in changes:
        if action == "measure.import" and before is None and not out:
            return {NEW: True}
        for key in FIELDS:
            if isinstance(before, dict) and key in before and key not in out:
                out[key] = before[key]
    return out


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def as_it_stood(
    facts: Iterable[MeasureFacts], before: Mapping[str, dict[str, Any]]
) -> list[MeasureFacts]:
    """Each measure with the values it had before later changes; measures added later left out."""
    out = []
    for m in facts:
        was = before.get(m.code)
        if not was:
            out.append(m)
            continue
        if was.get(NEW):
            continue
        changes: dict[str, Any] = {}
        if "status" in was:
            changes["status"] = Status(was["status"])
            if changes["status"] is not Status.CLOSED:
                changes["closed_on"] = None  # not closed then, whatever closed it since
        if "health" in was:
            changes["health"] = Health(was["health"]) if was["health"] else None
        if "closed_on" in was:
            changes["closed_on"] = _day(was["closed_on"])
        if was.get("deadline") == IMMEDIATE:
            # an event recorded before the trail held 立行立改's date: the date stays as it is
            changes["immediate"] = True
        elif "deadline" in was:
            changes["deadline"] = _day(was["deadline"])
        if "immediate" in was:
            changes["immediate"] = bool(was["immediate"])
        if "original_deadline" in was:
            changes["original_deadline"] = _day(was["original_deadline"])
        out.append(replace(m, **changes))
    return out
