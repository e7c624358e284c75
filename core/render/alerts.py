"""Messages that cannot wait for the next beat: a measure reported blocked."""

from __future__ import annotations

from datetime import date

from core.domain.model import Answer, MeasureFacts
from core.i18n import Tr
from core.render.measures import answer, short


def blocked_text(
    t: Tr, *, code: str, text: str, owner: str, unit: str, due: date | None, said: Answer
) -> str:
    """⛔ 推进受阻：code text / 责任人 / 受阻原因 / 请研究协调解决。"""
    reason = said.blockers or said.note or t._("no reason given")
    return "\n".join(
        [
            t._("⛔ Blocked: {code} {text}", code=code, text=text),
            t._("Owner: {owner} ({unit}) · due {date}", owner=owner, unit=unit, date=t.date(due)),
            t._("Blocker: “{reason}” ({date})", reason=reason, date=t.day_month(said.at.date())),
            t._("Please decide how to unblock it."),
        ]
    )


def absence_text(t: Tr, *, name: str, start: str, end: str, delegate: str | None) -> str:
    """What the task force hears when someone will be away."""
    if delegate:
        return t._(
            "{name} is away {start} – {end}; {delegate} answers their dispatches meanwhile.",
            name=name,
            start=start,
            end=end,
            delegate=delegate,
        )
    return t._(
        "{name} is away {start} – {end}; their dispatches pause meanwhile.",
        name=name,
        start=start,
        end=end,
    )


def escalation_text(t: Tr, f: MeasureFacts, missed: int) -> str:
    """To the responsible leader: how many dispatches in a row went unanswered."""
    return t.n_(
        "⚠️ Measure {code} ({text}) has had no answer from {owner} to the last {count} dispatch. Please follow up.",
        "⚠️ Measure {code} ({text}) has had no answer from {owner} to the last {count} dispatches in a row. Please follow up.",
        missed,
        count=t.prose(missed),
        code=f.code,
        text=short(f.text, 60),
        owner=f.owner,
    )


def unheard_escalation_text(
    t: Tr, f: MeasureFacts, missed: int, *, leader: str | None, bound: bool
) -> str:
    """To the task force: an escalation its responsible leader could not receive, and why."""
    head = t.n_(
        "⚠️ Measure {code} ({text}) has had no answer from {owner} to the last {count} dispatch.",
        "⚠️ Measure {code} ({text}) has had no answer from {owner} to the last {count} dispatches in a row.",
        missed,
        count=t.prose(missed),
        code=f.code,
        text=short(f.text, 60),
        owner=f.owner,
    )
    if leader is None:
        why = t._(
            "The ledger names no responsible leader for it: the task force is asked to follow up."
        )
    elif bound:
        why = t._(
            "Its responsible leader, {leader}, cannot be reached: the task force is asked to follow up.",
            leader=leader,
        )
    else:
        why = t._(
            "Its responsible leader, {leader}, has not joined the bot yet: the task force is asked to follow up.",
            leader=leader,
        )
    return t.sentences(head, why)


def latest_text(t: Tr, code: str, text: str, said: Answer | None) -> str:
    """The owner's latest answer about a measure, for a leader who asked."""
    head = t._("Latest answer on {code} {text}:", code=code, text=short(text, 60))
    if said is None:
        return t._("No answer has been recorded for {code} yet.", code=code)
    return f"{head}\n{answer(t, said).strip()}"


def chase_text(t: Tr, *, by: str, code: str, text: str, due: str) -> str:
    """To the owner: a leader asks again for an update on one measure."""
    return t._(
        "⏰ {name} asks for an update on measure {code} ({text}). Please answer by {date} with the button below.",
        name=by,
        code=code,
        text=short(text, 60),
        date=due,
    )


def stand_in_text(t: Tr, *, owner: str, start: str, end: str) -> str:
    """What a stand-in hears when an absence names them."""
    return t._(
        "{owner} is away {start} – {end} and named you to stand in: from {start}, their weekly "
        "dispatches come to you, and your answers count for them.",
        owner=owner,
        start=start,
        end=end,
    )


def back_text(t: Tr, *, name: str, start: str, end: str, begun: bool, delegate: str | None) -> str:
    """What the task force hears when someone ends an absence with /back."""
    if not begun:
        return t._(
            "{name} cancelled their absence {start} – {end}.", name=name, start=start, end=end
        )
    text = t._(
        "{name} is back: the absence {start} – {end} ended early, and dispatches go to them again.",
        name=name,
        start=start,
        end=end,
    )
    if delegate:
        text = t.sentences(text, t._("{delegate} no longer stands in.", delegate=delegate))
    return text


def stand_in_ended_text(t: Tr, *, owner: str, start: str, end: str, begun: bool) -> str:
    """What a stand-in hears when the absence they covered ends with /back."""
    if not begun:
        return t._(
            "{owner} cancelled their absence {start} – {end}: you will not stand in for them.",
            owner=owner,
            start=start,
            end=end,
        )
    return t._(
        "{owner} is back: your stand-in, which began on {start}, has ended. Their dispatches "
        "go to them again.",
        owner=owner,
        start=start,
    )
