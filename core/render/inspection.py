"""The programme's inspection facts as /programme shows them; pure."""

from __future__ import annotations

from datetime import date

from core.domain.inspection import InspectionFacts
from core.i18n import N_, Tr

LABELS = (
    ("inspector", N_("Inspecting body")),
    ("organisation", N_("Inspected organisation (signs the report)")),
    ("window", N_("Inspection on site")),
    ("feedback", N_("Feedback given on")),
    ("contact", N_("Contact for public supervision")),
)
USAGE = N_(
    "Set one with: /programme inspector NAME · /programme organisation NAME · /programme window 2023-10-10 2023-12-15 · /programme feedback 2024-01-16 · /programme contact TEXT (clear one with -)"
)


def span(t: Tr, first: date, last: date) -> str:
    """2023年10月10日至12月15日 / 10 October 2023 to 15 December 2023."""
    end = t.when(last, first) if t.locale.startswith("zh") else t.date(last)
    return t._("{start} to {end}", start=t.date(first), end=end)


def fact_value(t: Tr, facts: InspectionFacts, field: str) -> str:
    """One fact as people read it, or that it is not set."""
    if field == "window":
        if facts.window_start is None or facts.window_end is None:
            return t._("not set")
        return span(t, facts.window_start, facts.window_end)
    if field == "feedback":
        return t.date(facts.feedback_on) if facts.feedback_on else t._("not set")
    value: str = getattr(facts, field)
    return value or t._("not set")


def facts_text(t: Tr, programme: str, facts: InspectionFacts) -> str:
    """Every fact, then how to set one."""
    lines = [t._("Facts of the progress report of {programme}:", programme=t.stem(programme))]
    for field, label in LABELS:
        lines.append(t._("• {label}: {value}", label=t._(label), value=fact_value(t, facts, field)))
    lines += ["", t._(USAGE)]
    return "\n".join(lines)
