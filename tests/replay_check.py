"""After every end-to-end test: the live picture equals the one replayed from the audit trail."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, datetime

from sqlmodel import select

from core.domain.model import MeasureFacts
from storage import as_of, measures, outcomes
from storage.db import Database
from storage.models import Programme

# whatever is after every event a test can record, whatever its pinned clock says
END = datetime(9999, 1, 1, tzinfo=UTC)


def _comparable(f: MeasureFacts) -> MeasureFacts:
    # when it last changed: the row's own stamp, or its latest event's; not a figure anyone counts
    return replace(f, last_update=None)


async def mismatches(url: str) -> list[str]:
    """Each measure whose replayed facts differ from its live ones, field by field."""
    db = Database(url)
    out: list[str] = []
    try:
        async with db.session() as s:
            for programme in (await s.exec(select(Programme))).all():
                assert programme.id is not None
                live = await measures.facts_only(s, programme_id=programme.id)
                replayed = await as_of.facts_at(s, programme=programme, at=END)
                # 建章立制: every rule in the table, as the trail recorded it
                kept = await outcomes.live(s, programme=programme)
                told = await outcomes.recorded(s, programme=programme, at=END)
                if kept != told:
                    out.append(f"{programme.name} outcomes: live {kept} replayed {told}")
                a = {f.code: _comparable(f) for f in live}
                b = {f.code: _comparable(f) for f in replayed}
                if a.keys() != b.keys():
                    out.append(f"{programme.name}: live {sorted(a)} replayed {sorted(b)}")
                    continue
                for code, fa in a.items():
                    fb = b[code]
                    for fld in fields(MeasureFacts):
                        va, vb = getattr(fa, fld.name), getattr(fb, fld.name)
                        if va != vb:
                            out.append(
                                f"{programme.name} {code}.{fld.name}: live {va!r} replayed {vb!r}"
                            )
    finally:
        await db.dispose()
    return out
