"""Import a ledger into a programme: written in one transaction, and everyone it changes told.

The file's rows are checked before (core.domain.ledger); here they are written all or nothing
(the caller's transaction), sign-off requests the file overtook are withdrawn, and each bound
owner hears of their changed measures, a withdrawn request or a role lost: planned in the outbox
in the same transaction, so they hear of it once it is stored, and only then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger import LedgerRow
from core.domain.ledger_plan import ImportPlan
from core.domain.model import Status
from core.domain.roles import RoleLoss
from core.i18n import Tr, tr
from core.render import labels
from core.render.ledger import role_loss_text
from core.render.ledger_changes import owner_text
from storage import ledger_store, people, withdrawals
from storage.models import Measure, Person, Programme, SignoffRequest
from usecases.notices import tell

PROGRESS_ROWS = ledger_store.PROGRESS_ROWS  # a longer import says how far it is as it goes
# keep: statuses and edits made in chat stay; file: the file's values win; drop: as keep, and
# the measures the file no longer lists are removed
Action = Literal["keep", "file", "drop"]
Progress = Callable[[int, int], Awaitable[None]]


@dataclass(frozen=True)
class LedgerImport:
    """A checked ledger to write into a programme, and who writes it."""

    programme: Programme
    rows: Sequence[LedgerRow]
    action: Action
    actor: str  # as the audit trail names them
    importer_id: int | None  # their person in the programme: progress notes are theirs
    now: datetime
    today: date


async def import_ledger(
    session: AsyncSession, request: LedgerImport, *, progress: Progress | None = None
) -> ImportPlan:
    """Write the rows and plan what each person it changes hears; the plan is the reply's content.

    `progress(done, total)` is awaited after each PROGRESS_ROWS rows written, but the last.
    """
    programme, now = request.programme, request.now
    assert programme.id is not None
    result = await ledger_store.apply(
        session, programme_id=programme.id, rows=request.rows, actor=request.actor, now=now,
        today=request.today, remove_missing=request.action == "drop",
        importer_id=request.importer_id, progress=progress, keep_chat=request.action != "file",
    )  # fmt: skip
    # a request whose measure the file moved out of 待销号 has nothing left to decide
    overtaken = await withdrawals.withdraw_stale(
        session, programme_id=programme.id, actor=request.actor, now=now
    )
    told = _Teller(session, programme, me=request.importer_id, now=now)
    await told.role_losses(result.roles_lost)
    await told.owners(result)
    await told.withdrawn(overtaken)
    return result


def withdrawn_text(t: Tr, code: str, status: Status) -> str:
    """To the owner: the re-imported ledger settled or overtook their sign-off request."""
    if status is Status.CLOSED:
        return t._(
            "Your sign-off request for {code} is settled: the ledger the task force imported records it as signed off.",
            code=code,
        )
    return t._(
        "Your sign-off request for {code} is withdrawn: the ledger the task force imported gives it as {status}. If it is done, please ask for sign-off again.",
        code=code,
        status=labels.status(t, status),
    )


class _Teller:
    """Plans the import's notices, each in its reader's language (the programme's by default)."""

    def __init__(
        self, session: AsyncSession, programme: Programme, *, me: int | None, now: datetime
    ) -> None:
        self.s, self.programme, self.me, self.now = session, programme, me, now

    async def _bound(self, ids: Iterable[int]) -> list[tuple[Person, Tr]]:
        """The people of these ids who can be reached, each with their language."""
        found = [await self.s.get(Person, pid) for pid in ids]
        bound = [p for p in found if p is not None and p.telegram_user_id is not None]
        locales = await people.locales_of(self.s, user_ids=[p.telegram_user_id or 0 for p in bound])
        return [
            (p, tr(locales.get(p.telegram_user_id or 0) or self.programme.locale)) for p in bound
        ]

    def _tell(self, person: Person, text: str) -> None:
        assert self.programme.id is not None
        tell(
            self.s, programme_id=self.programme.id, about="import", person=person, text=text,
            now=self.now,
        )  # fmt: skip

    async def owners(self, plan: ImportPlan) -> None:
        """Each bound owner (but the importer) hears of the changes to their measures."""
        mine: dict[int, list[tuple[str, dict[str, tuple[Any, Any]]]]] = defaultdict(list)
        for code, fields in plan.fields.items():
            if code in plan.owners:
                mine[plan.owners[code]].append((code, fields))
        for person, t in await self._bound(pid for pid in mine if pid != self.me):
            self._tell(person, owner_text(t, self.programme.name, mine[person.id or 0]))

    async def withdrawn(self, overtaken: list[tuple[SignoffRequest, Measure]]) -> None:
        """Each bound owner hears of a sign-off request the file overtook."""
        for _, m in overtaken:
            for person, t in await self._bound([m.owner_id]):
                self._tell(person, withdrawn_text(t, m.code, Status(m.status)))

    async def role_losses(self, losses: list[RoleLoss]) -> None:
        """Each bound person hears of a role the file withdrew."""
        lost = {loss.person_id: loss.roles for loss in losses}
        for person, t in await self._bound(lost):
            self._tell(person, role_loss_text(t, self.programme.name, lost[person.id or 0]))
