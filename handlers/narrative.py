"""/narrative N [month] TEXT: the task force's own text for a section of a month's progress report."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.inspection import CLEAR
from core.domain.model import Role
from core.domain.months import read_month
from core.domain.numbers import typed_int
from core.domain.progress_report import NEXT_STEPS, RESPONSIBILITY, SECTIONS, paragraphs
from core.i18n import N_, Tr
from handlers.gate import Where, gate
from handlers.programme_facts import rest_of
from storage import progress

SECTION_NAMES = {
    RESPONSIBILITY: N_("section 1, how the principal responsibility was fulfilled"),
    NEXT_STEPS: N_("section 4, the plans for the next stage"),
}
USAGE = N_(
    "Send /narrative 1 and the text of section 1 (how the principal responsibility was fulfilled), or /narrative 4 and the plans for the next stage; each line is a paragraph. A month before the text (/narrative 1 2024-09 …) keeps it for that month's report; /narrative 1 - removes it."
)


def _kept(t: Tr, month: str, kept: dict[int, str]) -> str:
    lines = [t._("Texts kept for the progress report of {month}:", month=month)]
    for section in SECTIONS:
        n = len(paragraphs(kept.get(section, "")))
        said = t.n_("{n} paragraph", "{n} paragraphs", n) if n else t._("none yet")
        lines.append(t._("• {label}: {value}", label=t._(SECTION_NAMES[section]), value=said))
    return "\n".join([*lines, "", t._(USAGE)])


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def narrative(update: Update, context: CadenceContext) -> None:
    """Keep, remove or list the task force's text of the progress report, per month."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, pid = context.t, context.programme_id
    args = context.args or []
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    words = 1
    if len(args) > 1 and (found := read_month(args[1], today)) is not None:
        (year, month), words = found, 2
    period, shown = f"{year}-{month:02d}", t.month(year, month)
    section = typed_int(args[0], 1, 9) if args else None
    if section is None or section not in SECTIONS:
        if args:
            await message.reply_text(t._(USAGE))
            return
        kept = await progress.narratives(context.session, programme_id=pid, period=period)
        await message.reply_text(_kept(t, shown, kept))
        return
    text = rest_of(message.text or "", words)
    if not text:
        await message.reply_text(t._(USAGE))
        return
    removing = text.lower() in CLEAR
    await progress.set_narrative(
        context.session,
        programme_id=pid,
        period=period,
        section=section,
        text="" if removing else "\n".join(paragraphs(text)),
        actor=context.actor,
        now=context.svc.clock.now(),
    )
    name = t._(SECTION_NAMES[section])
    if removing:
        reply = t._(
            "Removed from the progress report of {month}: {section}.", month=shown, section=name
        )
    else:
        reply = t.n_(
            "Kept for the progress report of {month}: {section}, {n} paragraph.",
            "Kept for the progress report of {month}: {section}, {n} paragraphs.",
            len(paragraphs(text)),
            month=shown,
            section=name,
        )
    await message.reply_text(reply)
