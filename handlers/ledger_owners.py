"""After a coordinator's re-import: each bound owner hears what changed in their measures,
of a sign-off request the file overtook, and of a role it withdrew."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bot.context import CadenceContext
from core.domain.ledger_plan import ImportPlan
from core.domain.model import Status
from core.domain.roles import RoleLoss
from core.i18n import Tr, tr
from core.render import labels
from core.render.ledger import role_loss_text
from core.render.ledger_changes import owner_text
from storage import people
from storage.models import Measure, Person, SignoffRequest
from usecases import notices


async def tell_owners(context: CadenceContext, plan: ImportPlan) -> None:
    """With the import (delivered once it commits), tell each bound owner of the changes to their measures."""
    assert context.programme is not None
    s, programme = context.session, context.programme
    mine: dict[int, list[tuple[str, dict[str, tuple[Any, Any]]]]] = defaultdict(list)
    for code, fields in plan.fields.items():
        if code in plan.owners:
            mine[plan.owners[code]].append((code, fields))
    me = context.member.person_id if context.member else None
    found = [(await s.get(Person, pid), changes) for pid, changes in mine.items() if pid != me]
    bound = [(p, c) for p, c in found if p is not None and p.telegram_user_id is not None]
    locales = await people.locales_of(s, user_ids=[p.telegram_user_id or 0 for p, _ in bound])
    texts = {
        p.id: owner_text(
            tr(locales.get(p.telegram_user_id or 0) or programme.locale), programme.name, c
        )
        for p, c in bound
        if p.id is not None
    }
    await _tell(context, texts.items())


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


async def tell_withdrawn(
    context: CadenceContext, withdrawn: list[tuple[SignoffRequest, Measure]]
) -> None:
    """With the import (delivered once it commits), tell each owner whose sign-off request it overtook."""
    assert context.programme is not None
    s, programme = context.session, context.programme
    found = [(await s.get(Person, m.owner_id), m) for _, m in withdrawn]
    bound = [(p, m) for p, m in found if p is not None and p.telegram_user_id is not None]
    locales = await people.locales_of(s, user_ids=[p.telegram_user_id or 0 for p, _ in bound])
    texts = [
        (
            p.id or 0,
            withdrawn_text(
                tr(locales.get(p.telegram_user_id or 0) or programme.locale),
                m.code,
                Status(m.status),
            ),
        )
        for p, m in bound
    ]
    await _tell(context, texts)


async def tell_role_losses(context: CadenceContext, losses: list[RoleLoss]) -> None:
    """With the import (delivered once it commits), tell each bound person whose role it withdrew."""
    assert context.programme is not None
    s, programme = context.session, context.programme
    found = [(loss, await s.get(Person, loss.person_id)) for loss in losses]
    bound = [(loss, p) for loss, p in found if p is not None and p.telegram_user_id is not None]
    locales = await people.locales_of(s, user_ids=[p.telegram_user_id or 0 for _, p in bound])
    texts = {
        loss.person_id: role_loss_text(
            tr(locales.get(person.telegram_user_id or 0) or programme.locale),
            programme.name,
            loss.roles,
        )
        for loss, person in bound
    }
    await _tell(context, texts.items())


async def _tell(context: CadenceContext, texts: Iterable[tuple[int, str]]) -> None:
    """Plan each text to its person with the import: they hear of it once it is stored, and only then."""
    s = context.session
    for person_id, text in texts:
        person = await s.get(Person, person_id)
        if person is not None:
            notices.tell(
                s, programme_id=context.programme_id, about="import", person=person, text=text,
                now=context.svc.clock.now(),
            )  # fmt: skip
