"""What a re-import changes, field by field, for the coordinator's preview and the owners."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from core.domain.ledger_plan import IMMEDIATE, ImportPlan
from core.domain.model import Status
from core.i18n import N_, Tr
from core.render import labels
from core.render.measures import short

MAX_CHANGES = 30
VALUE = 40
FIELD = {
    "text": N_("Measure"),
    "area": N_("Area"),
    "problem": N_("Problem"),
    "leader": N_("Responsible leader"),
    "co_leaders": N_("Further responsible leaders"),
    "lead_unit": N_("Lead unit"),
    "co_units": N_("Co-units"),
    "owner": N_("Owner"),
    "co_owners": N_("Co-owners"),
    "deadline": N_("Deadline"),
    "status": N_("Status"),
    "progress": N_("Progress"),
    "original_deadline": N_("Original deadline"),
}


def value(t: Tr, key: str, raw: Any) -> str:
    """A stored or file value as people read it."""
    if key == "status" and raw:
        return labels.status(t, Status(raw))
    if key == "original_deadline":
        return t.date(date.fromisoformat(raw)) if raw else "—"
    if key == "deadline":
        if raw == IMMEDIATE:
            return t._("immediate")
        return t.date(date.fromisoformat(raw)) if raw else t._("long-term")
    return short(str(raw), VALUE) if raw else "—"


def change_parts(t: Tr, fields: Mapping[str, tuple[Any, Any]]) -> str:
    """Deadline 30 Sep 2024 → 31 Oct 2024; Status in progress → awaiting sign-off."""
    parts = [
        t._(
            "{field} {before} → {after}",
            field=t._(FIELD[k]),
            before=value(t, k, before),
            after=value(t, k, after),
        )
        for k, (before, after) in fields.items()
        if k in FIELD
    ]
    if "removed" in fields:
        parts.append(t._("back in the ledger"))
    return t._("; ").join(parts)


def change_line(t: Tr, code: str, fields: Mapping[str, tuple[Any, Any]]) -> str:
    """1.3.2: Deadline 30 Sep 2024 → 31 Oct 2024; Status in progress → awaiting sign-off."""
    return t._("{code}: {changes}", code=code, changes=change_parts(t, fields))


def preview_lines(t: Tr, plan: ImportPlan) -> list[str]:
    """Each change before → after, the chat statuses kept, and the rows recorded as closed."""
    lines: list[str] = []
    if plan.fields:
        lines.append(t._("Changes:"))
        listed = list(plan.fields.items())
        lines += ["• " + change_line(t, code, f) for code, f in listed[:MAX_CHANGES]]
        if len(listed) > MAX_CHANGES:
            lines.append(t._("… and {n} more.", n=len(listed) - MAX_CHANGES))
    if plan.kept:
        lines.append(
            t._("Statuses set in chat since the last import are kept unless you choose otherwise:")
        )
        lines += [
            "• "
            + t._(
                "{code}: {chat} (the file says {file})",
                code=code,
                chat=value(t, "status", chat),
                file=value(t, "status", file),
            )
            for code, (chat, file) in list(plan.kept.items())[:MAX_CHANGES]
        ]
    if plan.kept_deadlines:
        lines.append(
            t._(
                "Deadlines changed in chat since the last import (extensions) are kept unless you choose otherwise:"
            )
        )
        lines += [
            "• "
            + t._(
                "{code}: {chat} (the file says {file})",
                code=code,
                chat=value(t, "deadline", chat),
                file=value(t, "deadline", file),
            )
            for code, (chat, file) in list(plan.kept_deadlines.items())[:MAX_CHANGES]
        ]
    lines += kept_edit_lines(t, plan)
    if plan.closed:
        lines.append(
            t.n_(
                "{n} row marked done will be recorded as closed before the programme began (not counted as closed this month nor in the on-time rate).",
                "{n} rows marked done will be recorded as closed before the programme began (not counted as closed this month nor in the on-time rate).",
                plan.closed,
            )
        )
    return lines


def kept_edit_lines(t: Tr, plan: ImportPlan) -> list[str]:
    """The edits made in chat that the import keeps unless the coordinator takes the file's."""
    if not plan.kept_edits:
        return []
    lines = [t._("Edits made in chat since the last import are kept unless you choose otherwise:")]
    for code, fields in list(plan.kept_edits.items())[:MAX_CHANGES]:
        if "removed" in fields:
            lines.append("• " + t._("{code}: retired in chat (the file lists it)", code=code))
            continue
        parts = [
            t._(
                "{field} {chat} (the file says {file})",
                field=t._(FIELD[k]),
                chat=value(t, k, chat),
                file=value(t, k, file),
            )
            for k, (chat, file) in fields.items()
        ]
        lines.append("• " + t._("{code}: {changes}", code=code, changes=t._("; ").join(parts)))
    return lines


def owner_text(
    t: Tr, programme: str, changes: Sequence[tuple[str, Mapping[str, tuple[Any, Any]]]]
) -> str:
    """To an owner: what the task force's import changed in their measures."""
    head = t._(
        "The task force updated the ledger of {programme}. Your measures changed as follows:",
        programme=programme,
    )
    return "\n".join([head, *("• " + change_line(t, code, f) for code, f in changes)])
