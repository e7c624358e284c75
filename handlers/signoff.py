"""The hand-off to sign-off (销号): coordinators hear of each request."""

from __future__ import annotations

from bot.context import CadenceContext
from bot.domain.model import Role
from bot.i18n import tr
from jobs.send import to_person
from storage import people
from storage.models import Measure


async def notify_signoff_request(
    context: CadenceContext, measure: Measure, report: str, files: int
) -> int:
    """Tell every bound coordinator that a measure asks for sign-off; returns how many heard."""
    s, pid = context.session, context.programme_id
    coordinators = [
        p
        for p in await people.with_role(s, programme_id=pid, role=Role.COORDINATOR)
        if p.telegram_user_id
    ]
    locales = await people.locales_of(
        s, user_ids=[p.telegram_user_id for p in coordinators if p.telegram_user_id]
    )
    owner = context.member.person_name if context.member else ""
    told = 0
    for person in coordinators:
        t = tr(
            locales.get(person.telegram_user_id or 0)
            or (context.programme.locale if context.programme else None)
        )
        text = t._(
            "🏁 Sign-off request: {owner} reports {code} done.\nReport: {report}\nEvidence files: {files}",
            owner=owner,
            code=measure.code,
            report=report,
            files=files,
        )
        told += await to_person(context.bot, person, text, context.svc.clock.now()) is not None
        s.add(person)
    return told
