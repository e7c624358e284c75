"""What importing a ledger would change: the plan and its pure diff against the stored ledger."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.domain.ledger import LedgerRow
from bot.domain.model import code_key
from bot.domain.roles import RoleLoss

FIELDS = (
    "text", "area", "problem", "leader", "lead_unit", "co_units", "owner", "co_owners", "deadline",
)  # fmt: skip
IMMEDIATE = "immediate"  # the stored "deadline" of a 立行立改 measure: its date is the first import

# a stored measure as the same plain values a row gives, plus "removed"
Stored = Mapping[str, Any]


@dataclass
class ImportPlan:
    """What an import would do."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    missing: list[str] = field(default_factory=list)
    roles_lost: list[RoleLoss] = field(default_factory=list)  # filled when applied

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
        "lead_unit": row.lead_unit,
        "co_units": "、".join(row.co_units),
        "owner": row.owner,
        "co_owners": "、".join(row.co_owners),
        "deadline": IMMEDIATE if row.immediate else deadline,
        "status": row.status.value,
        "progress": row.progress,
    }


def diff(old: Stored, new: Mapping[str, Any]) -> dict[str, Any]:
    """The values that change; a removed measure coming back counts as a change."""
    changed = {k: new[k] for k in (*FIELDS, "status") if old.get(k) != new[k]}
    if new["progress"] and old.get("progress") != new["progress"]:
        # an empty progress cell keeps the notes owners wrote since
        changed["progress"] = new["progress"]
    if old.get("removed"):
        changed["removed"] = False
    return changed


def closed_on(row: LedgerRow, today: date) -> date:
    """An imported closed measure counts as closed on its deadline, if that has passed."""
    if row.deadline is not None and row.deadline <= today:
        return row.deadline
    return today


def plan_import(rows: Sequence[LedgerRow], current: Mapping[str, Stored]) -> ImportPlan:
    """Compare the file's rows with the stored measures by code."""
    result = ImportPlan()
    for row in rows:
        old = current.get(row.code)
        if old is None:
            result.new.append(row.code)
        elif diff(old, row_values(row)):
            result.changed.append(row.code)
        else:
            result.unchanged += 1
    codes = {r.code for r in rows}
    result.missing = sorted(
        (c for c, v in current.items() if c not in codes and not v["removed"]), key=code_key
    )
    return result
