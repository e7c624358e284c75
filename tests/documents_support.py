"""Facts for document tests, straight from the sample ledger (no database)."""

from __future__ import annotations

from datetime import date
from functools import cache

from conftest import sample

from core.domain.documents import Extras, Record, records
from core.domain.ledger import LedgerRow, parse_ledger
from core.domain.model import MeasureFacts, Status

AS_OF = date(2024, 9, 30)
SAMPLES = ("ledger.zh.csv", "ledger.en.csv")


def sample_rows(name: str = "ledger.zh.csv") -> tuple[LedgerRow, ...]:
    """The sample ledger's 42 rows."""
    parsed = parse_ledger(sample(name), name)
    assert parsed.ok, parsed.issues
    return parsed.rows


@cache
def _areas() -> tuple[str, ...]:
    return tuple(dict.fromkeys(r.area for name in SAMPLES for r in sample_rows(name)))


def area_number(area: str) -> int:
    """The samples' area numbers: the order the areas first appear in the ledger."""
    areas = _areas()
    # zh and en samples list the same four areas in the same order
    return areas.index(area) % 4 + 1


def fact(row: LedgerRow, closed_on: date | None = None) -> MeasureFacts:
    """A ledger row as the facts storage would give."""
    return MeasureFacts(
        code=row.code,
        text=row.measure,
        area_number=area_number(row.area),
        area=row.area,
        problem=row.problem,
        leader=row.leader,
        lead_unit=row.lead_unit,
        owner=row.owner,
        deadline=row.deadline,
        status=row.status,
        closed_on=closed_on if row.status is Status.CLOSED else None,
        co_units=row.co_units,
    )


def sample_records(name: str = "ledger.zh.csv") -> list[Record]:
    """The sample's measures, closed ones closed on 15 September, one with a note and files."""
    facts = [fact(r, date(2024, 9, 15)) for r in sample_rows(name)]
    first_open = next(f for f in facts if f.status is not Status.CLOSED)
    extras = {
        first_open.code: Extras(
            note="已完成初稿，正在征求意见", noted_on=date(2024, 9, 23), evidence=2
        )
    }
    return records(facts, extras)
