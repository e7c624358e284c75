"""/find TEXT: the measures a person may see that the text is found in, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger_edit import page_count
from core.domain.model import code_key
from storage import find, measures
from storage.models import Measure

PAGE = 10


@dataclass(frozen=True)
class Viewer:
    """Who searches: their person, and whether they see the whole programme (leaders,
    coordinators, admins) or only the measures they own or co-own."""

    person_id: int | None
    sees_all: bool


@dataclass(frozen=True)
class Hit:
    """One measure found."""

    measure_id: int
    code: str
    text: str


@dataclass(frozen=True)
class Results:
    """One page of what was found, and how many in all."""

    hits: list[Hit]
    total: int
    page: int
    pages: int


async def search(
    session: AsyncSession, *, programme_id: int, viewer: Viewer, text: str, page: int
) -> Results:
    """The page (from 0; past the last, the last) of the hits, in ledger order."""
    found = await find.matching(
        session, programme_id=programme_id, text=text,
        person_id=None if viewer.sees_all else viewer.person_id or -1,
    )  # fmt: skip
    found.sort(key=lambda r: (r[3], code_key(r[1])))
    pages = page_count(len(found), PAGE)
    page = min(max(page, 0), pages - 1)
    chosen = found[page * PAGE : (page + 1) * PAGE]
    return Results(
        [Hit(mid, code, words) for mid, code, words, _ in chosen], len(found), page, pages
    )


async def visible(
    session: AsyncSession, *, programme_id: int, viewer: Viewer, measure_id: int
) -> Measure | None:
    """A live measure of the programme the viewer may see, else None."""
    m = await measures.by_id(session, programme_id=programme_id, measure_id=measure_id)
    if m is None or viewer.sees_all or m.owner_id == viewer.person_id:
        return m
    mine = viewer.person_id is not None and await find.co_owns(
        session, measure_id=measure_id, person_id=viewer.person_id
    )
    return m if mine else None
