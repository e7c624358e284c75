"""What importing a ledger would change: the plan and its pure diff against the stored ledger."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from core.domain.ledger import LedgerRow
from core.domain.model import Status, code_key
from core.domain.roles import RoleLoss

FIELDS = (
    "text", "area", "problem", "leader", "co_leaders", "lead_unit", "co_units", "owner", "co_owners",
    "deadline",
)  # fmt: skip
# what a coordinator edits in chat (core.domain.ledger_edit): an import keeps it unless told not to
CHAT_FIELDS = frozenset({"text", "area", "problem", "lead_unit", "co_units", "owner", "deadline"})
# the LedgerRow attribute each field comes from, where the names differ
ROW_ATTR = {"text": "measure"}
IMMEDIATE = (
    "immediate"  # the compared "deadline" of a 立行立改 measure: its date is the first import
)

# a stored measure as the same plain values a row gives, plus "removed"
Stored = Mapping[str, Any]
S = TypeVar("S", bound=Mapping[str, Any])


@dataclass
class ImportPlan:
    """What an import would do."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    roles_lost: list[RoleLoss] = field(default_factory=list)  # filled when applied
    # per changed code, each field that changes: (before, after), as plain values
    fields: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    # per code, a status set in chat since the last import and the file's: (chat, file)
    kept: dict[str, tuple[str, str]] = field(default_factory=dict)
    # per code, a deadline changed in chat (an extension) since the last import and the file's
    kept_deadlines: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # per code, each field edited in chat since the last import: (chat, file); retired: "removed"
    kept_edits: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)
    closed: int = 0  # rows recorded as closed before the programme began
    owners: dict[str, int] = field(default_factory=dict)  # changed code -> owner id, when applied

    @property
    def writes(self) -> bool:
        """True when applying changes anything."""
        return bool(self.new or self.changed)


def row_values(row: LedgerRow) -> dict[str, Any]:
    """A file row as the plain values a stored measure is compared with."""
    deadline = row.deadline.isoformat() if row.deadline else None
    return {
        "text": row.measure,
        "area": row.area,
        "problem": row.problem,
        "leader": row.leader,
        "co_leaders": "、".join(row.co_leaders),
        "lead_unit": row.lead_unit,
        "co_units": "、".join(row.co_units),
        "owner": row.owner,
        "co_owners": "、".join(row.co_owners),
        "deadline": IMMEDIATE if row.immediate else deadline,
        "status": row.status.value,
        "progress": row.progress,
        "original_deadline": row.original_deadline.isoformat() if row.original_deadline else None,
    }


def recorded_deadline(value: object, on: date) -> date | None:
    """A deadline as the audit trail recorded it: an ISO date, or none (long-term).

    Events written before the trail recorded 立行立改 as its date hold "immediate": due `on`,
    the day the event was recorded, as a 立行立改 measure is due the day it first came in.
    """
    if value == IMMEDIATE:
        return on
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def by_code(current: Mapping[str, S]) -> dict[str, S]:
    """Stored measures by their code width-folded: codes stored as (一) before full-width
    brackets were kept still meet the file's （一）."""
    return {unicodedata.normalize("NFKC", c): v for c, v in current.items()}


def stored_for(row: LedgerRow, current: Mapping[str, S], folded: Mapping[str, S]) -> S | None:
    """The stored measure a row updates: same code, else same code width-folded."""
    return current.get(row.code) or folded.get(unicodedata.normalize("NFKC", row.code))


def set_in_chat(old: Stored) -> bool:
    """The stored status is not the one the last import gave: someone changed it in chat."""
    imported = old.get("imported_status")
    return imported is not None and old.get("status") != imported


def deadline_set_in_chat(old: Stored) -> bool:
    """The stored deadline is not the one the last import gave: extended in chat."""
    return "imported_deadline" in old and old.get("deadline") != old["imported_deadline"]


def edited_in_chat(old: Stored) -> frozenset[str]:
    """The fields a coordinator edited in chat since an import last set them ("removed": retired)."""
    return frozenset(old.get("chat") or ())


def diff(old: Stored, new: Mapping[str, Any], *, keep_chat: bool = True) -> dict[str, Any]:
    """The values that change; a removed measure coming back counts as a change.

    A status, a deadline or a field edited in chat since the last import stays unless keep_chat
    is False; a measure retired in chat then stays out, whatever its row says.
    """
    chat = edited_in_chat(old)
    if keep_chat and "removed" in chat and old.get("removed"):
        return {}
    changed = {k: new[k] for k in (*FIELDS, "status") if old.get(k) != new[k]}
    if keep_chat and "status" in changed and set_in_chat(old):
        del changed["status"]
    if keep_chat and "deadline" in changed and (deadline_set_in_chat(old) or "deadline" in chat):
        del changed["deadline"]
    for k in (chat - {"deadline"}) if keep_chat else ():
        changed.pop(k, None)
    if new["progress"] and old.get("progress") != new["progress"]:
        # an empty progress cell keeps the notes owners wrote since
        changed["progress"] = new["progress"]
    if new.get("original_deadline") and old.get("original_deadline") != new["original_deadline"]:
        # only the bot's own export gives it; a ledger without the column keeps an extension's
        changed["original_deadline"] = new["original_deadline"]
    if old.get("removed"):
        changed["removed"] = False
    return changed


def kept_row(row: LedgerRow, old: Stored | None, keep_chat: bool) -> LedgerRow:
    """The row with the values edited in chat put back: the import writes every column it has."""
    if old is None or not keep_chat:
        return row
    kept: dict[str, Any] = {}
    for k in edited_in_chat(old) & (CHAT_FIELDS - {"deadline"}):
        value = old.get(k) or ""
        kept[ROW_ATTR.get(k, k)] = (
            tuple(x for x in value.split("、") if x) if k == "co_units" else value
        )
    return replace(row, **kept) if kept else row


def _conflicts(result: ImportPlan, code: str, old: Stored, values: Mapping[str, Any]) -> None:
    """What chat changed since the last import that the file would undo: kept unless chosen."""
    chat = edited_in_chat(old)
    if "removed" in chat and old.get("removed"):
        result.kept_edits[code] = {"removed": (True, False)}  # retired: nothing else matters
        return
    full = diff(old, values, keep_chat=False)
    if "status" in full and set_in_chat(old):
        result.kept[code] = (old["status"], values["status"])
    if "deadline" in full and (deadline_set_in_chat(old) or "deadline" in chat):
        result.kept_deadlines[code] = (old["deadline"], values["deadline"])
    # the deadline is listed with the deadlines kept, above
    edits = {k: (old.get(k), values[k]) for k in FIELDS if k in chat - {"deadline"} and k in full}
    if edits:
        result.kept_edits[code] = edits


def plan_import(
    rows: Sequence[LedgerRow], current: Mapping[str, Stored], *, keep_chat: bool = True
) -> ImportPlan:
    """Compare the file's rows with the stored measures by code.

    A row marked done is recorded as closed before the programme began: no closing date, so it
    counts as done but neither as closed this month nor in the on-time rate.
    """
    result = ImportPlan()
    folded = by_code(current)
    for row in rows:
        old = stored_for(row, current, folded)
        values = row_values(row)
        if old is None:
            result.new.append(row.code)
            result.closed += row.status is Status.CLOSED
            continue
        _conflicts(result, row.code, old, values)
        changes = diff(old, values, keep_chat=keep_chat)
        if changes:
            result.changed.append(row.code)
            result.fields[row.code] = {k: (old.get(k), v) for k, v in changes.items()}
            result.closed += changes.get("status") == Status.CLOSED.value
        else:
            result.unchanged += 1
    codes = {unicodedata.normalize("NFKC", r.code) for r in rows}
    result.missing = sorted(
        (
            c
            for c, v in current.items()
            if unicodedata.normalize("NFKC", c) not in codes and not v["removed"]
        ),
        key=code_key,
    )
    return result
