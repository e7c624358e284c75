"""A measure's history, one line per audit event, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.domain.ledger_edit import ADD_FIELDS
from core.domain.model import Health
from core.i18n import Tr
from core.render import labels
from core.render.letter_words import answer_state, number_label
from core.render.measures import short

WORDS = 120


@dataclass(frozen=True)
class Entry:
    """One event: when (programme time), who, what, and the values it recorded."""

    at: datetime
    who: str
    action: str
    before: Any
    after: Any


def _columns(t: Tr, after: Any) -> str:
    # "immediate" goes with the deadline it qualifies
    keys = [k for k in (after or {}) if k not in ("removed", "immediate")]
    return t.join(labels.column(t, "measure" if k == "text" else k) for k in keys)


def _update(t: Tr, after: dict[str, Any]) -> str:
    parts = [labels.health(t, Health(after["health"]))]
    if after.get("percent") is not None:
        parts.append(t.pct(after["percent"] / 100))
    words = after.get("blockers") or after.get("note")
    if words:
        parts.append(t._("“{text}”", text=short(words, WORDS)))
    if after.get("files"):
        parts.append(t.n_("{n} file", "{n} files", after["files"]))
    return t._("Progress update: {what}", what=" · ".join(parts))


def _day(t: Tr, value: Any) -> str:
    return (
        t.date(date.fromisoformat(value)) if isinstance(value, str) and value else t._("long-term")
    )


def what(t: Tr, e: Entry) -> str:
    """What one event did, in words."""
    after: dict[str, Any] = e.after if isinstance(e.after, dict) else {}
    if e.action == "measure.import":
        if e.before is None:
            return t._("Entered in the ledger")
        return t._("Ledger updated: {columns}", columns=_columns(t, after))
    if e.action == "measure.update" and "health" in after:
        return _update(t, after)
    if e.action == "measure.signoff_request":
        return t._(
            "Sign-off requested: “{report}” ({files})",
            report=short(after.get("report", ""), WORDS),
            files=t.n_("{n} file", "{n} files", int(after.get("files", 0))),
        )
    if e.action == "measure.signoff_approve":
        return t._("Signed off (closed)")
    if e.action == "measure.signoff_send_back":
        return t._("Sent back: {reason}", reason=short(after.get("reason", ""), WORDS))
    if e.action == "measure.extension_request":
        return t._(
            "Extension to {date} requested: {reason}",
            date=_day(t, after.get("deadline")),
            reason=short(after.get("reason", ""), WORDS),
        )
    if e.action == "measure.extension_approve":
        return t._(
            "Extension approved: deadline {date} (originally {original})",
            date=_day(t, after.get("deadline")),
            original=_day(t, after.get("original_deadline")),
        )
    if e.action == "measure.extension_refuse":
        return t._("Extension refused: {reason}", reason=short(after.get("reason", ""), WORDS))
    if e.action == "measure.followup":
        return t._("Follow-up; answer due by {date}", date=_day(t, after.get("reply_by")))
    if e.action == "measure.lookback_holds":
        held = t._(
            "Look-back: the result holds: “{note}”", note=short(after.get("note", ""), WORDS)
        )
        files = int(after.get("files", 0))
        return held + (" · " + t.n_("{n} file", "{n} files", files) if files else "")
    if e.action == "measure.lookback_rebound":
        return t._(
            "Look-back: rebound, reopened: “{note}”", note=short(after.get("note", ""), WORDS)
        )
    if e.action == "measure.outcome":
        return t._(
            "Institutional outcome recorded: {title} ({number})",
            title=after.get("title", ""),
            number=after.get("number", ""),
        )
    if e.action == "measure.spotcheck_true":
        return t._("Random spot check: found true")
    if e.action == "measure.spotcheck_untrue":
        return t._(
            "Random spot check: found not true, reopened: “{note}”",
            note=short(after.get("note", ""), WORDS),
        )
    if e.action == "measure.remove":
        return t._("Removed from the ledger")
    if e.action == "measure.add":
        return t._("Added to the ledger in chat")
    if e.action == "measure.edit":
        # the trail stores keys sorted; people read them in the form's order
        ordered = {k: after[k] for k in ADD_FIELDS if k in after}
        return t._("Edited in chat: {columns}", columns=_columns(t, ordered))
    if e.action == "measure.retire":
        return t._("Retired: {reason}", reason=short(after.get("reason", ""), WORDS))
    if e.action == "letter.issue":
        return t._(
            "Work prompt letter {number} to {unit}; reply requested by {date}",
            number=number_label(t, int(after.get("year", 0)), int(after.get("number", 0))),
            unit=after.get("lead_unit", ""),
            date=t.date(date.fromisoformat(str(after.get("reply_by")))),
        )
    return e.action


def _answered(t: Tr, letter: Entry, later: Sequence[Entry]) -> str:
    """Whether the unit answered a letter by its reply date (its first update after the letter)."""
    after: dict[str, Any] = letter.after if isinstance(letter.after, dict) else {}
    reply_by = date.fromisoformat(str(after.get("reply_by")))
    answer = next((e for e in later if e.action == "measure.update"), None)
    return answer_state(t, reply_by, answer.at.date() if answer else None)


def history_text(t: Tr, code: str, text: str, entries: Sequence[Entry]) -> str:
    """The heading and one line per event, oldest first."""
    lines = [t._("History of {code} {text}", code=code, text=short(text))]
    if not entries:
        lines.append(t._("Nothing has been recorded yet."))
    for n, e in enumerate(entries, 1):
        line = f"{n}. {t.datetime(e.at)} · {e.who} · {what(t, e)}"
        if e.action in ("letter.issue", "measure.followup"):
            line += " · " + _answered(t, e, entries[n:])
        lines.append(line)
    return "\n".join(lines)
