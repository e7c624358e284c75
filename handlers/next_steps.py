"""What comes next after a set-up step: the steps still open, and when the first dispatch goes."""

from __future__ import annotations

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.invites import invited_roles
from core.domain.model import Beat
from core.domain.periods import next_slot
from core.i18n import Tr
from storage import beats, lookup, people
from storage.models import Programme
from storage.programmes import rhythm_of


async def next_steps(context: CadenceContext, programme: Programme, t: Tr | None = None) -> str:
    """The set-up steps still to take, numbered, then when the weekly dispatch goes out."""
    t, s = t or context.t, context.session
    assert programme.id is not None
    pid = programme.id
    measures = await lookup.live_measures(s, programme_id=pid)
    steps = []
    if measures == 0:
        steps.append(t._("Send me the ledger file (CSV or XLSX) in a private chat."))
    if programme.leadership_chat_id is None:
        steps.append(
            t._("Add me to the leadership group and send /setup {name} there.", name=programme.name)
        )
    held = await people.roles_by_person(s, programme_id=pid)
    unbound = [
        p
        for p in await people.people(s, programme_id=pid)
        if invited_roles(held.get(p.id or 0, set()), bound=p.telegram_user_id is not None)
    ]
    if unbound:
        steps.append(
            t.n_(
                "Send /invites in a private chat for the invite link of the {n} person not yet "
                "bound.",
                "Send /invites in a private chat for the invite links of the {n} people not yet "
                "bound.",
                len(unbound),
            )
        )
    lines = []
    if steps:
        lines.append(t._("Next:"))
        lines += [f"{i}. {step}" for i, step in enumerate(steps, 1)]
    if measures:
        now = context.svc.clock.now()
        slot = next_slot(Beat.DISPATCH, rhythm_of(programme), now).planned
        when = t.slot(slot, today_in(now, programme.timezone))
        first = await beats.latest(s, programme_id=pid, beat=Beat.DISPATCH) is None
        lines.append(
            t._("The first weekly dispatch goes out {when}.", when=when)
            if first
            else t._("The next weekly dispatch goes out {when}.", when=when)
        )
    return "\n".join(lines)
