"""/programme: the inspection facts the progress report opens and signs with (coordinators)."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.domain.inspection import KEYS, read_fact
from core.domain.model import Role
from core.i18n import N_
from core.render.inspection import LABELS, USAGE, facts_text
from handlers.gate import Where, gate
from storage import progress

WHAT_IS_WRONG = {
    "window": N_("Give the first and last day of the inspection, for example /programme window 2023-10-10 2023-12-15."),
    "feedback": N_("Give the day the feedback was given, for example /programme feedback 2024-01-16."),
}  # fmt: skip


def rest_of(text: str, words: int) -> str:
    """The message after its command and `words` more words, line breaks kept."""
    rest = text
    for _ in range(words + 1):
        parts = rest.strip().split(maxsplit=1)
        rest = parts[1] if len(parts) > 1 else ""
    return rest.strip()


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def programme_facts(update: Update, context: CadenceContext) -> None:
    """/programme shows the facts; /programme FIELD VALUE sets one, in the audit trail."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, pid = context.t, context.programme_id
    args = context.args or []
    if args:
        field = KEYS.get(args[0].lower())
        if field is None:
            names = t.join(t._(label) for _, label in LABELS)
            await message.reply_text(
                t._("I keep these facts: {names}.", names=names) + "\n" + t._(USAGE)
            )
            return
        changes = read_fact(field, rest_of(message.text or "", 1))
        if changes is None:
            await message.reply_text(t._(WHAT_IS_WRONG.get(field, USAGE)))
            return
        await progress.set_facts(
            context.session,
            programme_id=pid,
            changes=changes,
            actor=context.actor,
            now=context.svc.clock.now(),
        )
    facts = await progress.facts(context.session, programme_id=pid)
    shown = facts_text(t, context.programme.name, facts)
    await message.reply_text((t._("Saved.") + "\n\n" if args else "") + shown)
