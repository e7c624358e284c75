"""One-line views of measures for chat messages."""

from __future__ import annotations

from datetime import date

from core.domain.lights import Lamp, days_overdue, light, projected_late
from core.domain.model import Answer, Health, Light, MeasureFacts
from core.i18n import Tr
from core.render import labels

SHORT = 40


CLAUSE_ENDS = "，。；：！？、,;:!?）)"
ANSWER_LIMIT = 120


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def short(text: str, limit: int = SHORT) -> str:
    """Shorten at a clause or word boundary, never inside a word, ending with “…”."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    floor = limit // 2  # a boundary too near the start would throw most of the text away
    clause = max(head.rfind(c) for c in CLAUSE_ENDS)
    if clause >= floor:
        return head[: clause + 1].rstrip("，、,;；：:") + "…"
    space = head.rfind(" ")
    if space >= floor:
        return head[:space].rstrip(" ,;:") + "…"
    if _cjk(text[limit - 2]) and _cjk(text[limit - 1]):
        return head + "…"  # Chinese runs have no spaces: a character boundary is the word edge
    cut = len(head)
    while cut > 0 and (head[cut - 1].isalnum() and not _cjk(head[cut - 1])):
        cut -= 1  # back out of a Latin word or number
    return (head[:cut].rstrip() or head) + "…"


def answer(t: Tr, a: Answer) -> str:
    """↳ 推进受阻 · 60% · “资金缺口约800万元……”（9月20日，周强）."""
    if a.lookback:
        parts = [t._(labels.LOOKBACK[a.lookback])]
    else:
        parts = [labels.health(t, a.health)] if a.health is not None else []
    if a.percent is not None:
        parts.append(t.pct(a.percent / 100))
    # at risk or blocked, what is in the way is what the reader needs to know
    trouble = a.health in (Health.AT_RISK, Health.BLOCKED)
    words = a.blockers if trouble and a.blockers else a.note or a.blockers
    if words:
        parts.append(t._("“{text}”", text=short(words, ANSWER_LIMIT)))
    said = " · ".join(parts)
    said = said[:1].upper() + said[1:]  # it opens the line: On track · 60% (Chinese: as is)
    return "    ↳ " + t._(
        "{answer} ({date}, {who})",
        answer=said,
        date=t.day_month(a.at.date()),
        who=a.by or t._("ledger import"),
    )


def with_answer(t: Tr, m: MeasureFacts, today: date, *, owner: bool = True) -> list[str]:
    """A measure's line, and under it the owner's latest answer when there is one."""
    lines = [line(t, m, today, owner=owner)]
    if m.latest is not None:
        lines.append(answer(t, m.latest))
    return lines


def deadline(t: Tr, m: MeasureFacts, today: date | None = None) -> str:
    """The deadline, long-term, or 立行立改 (immediate) until an extension moves it; given
    today, a date of this year is written without the year (9月30日), as people write it."""

    def day(value: date | None) -> str:
        return t.when(value, today) if value is not None and today is not None else t.date(value)

    if m.immediate and m.original_deadline is None:
        return t._("immediate")
    if m.deadline is None:
        return t._("long-term")
    if m.original_deadline is not None and m.original_deadline != m.deadline:
        return t._(
            "{date} (extended; originally {original})",
            date=day(m.deadline),
            original=day(m.original_deadline),
        )
    return day(m.deadline)


def line(t: Tr, m: MeasureFacts, today: date, *, owner: bool = False) -> str:
    """🔴 1.2.3 Text… · due 30 September · in progress (· 5 days overdue)."""
    lit = light(m, today)
    parts = [f"{labels.LIGHT_ICON[lit]} {m.code} {short(m.text)}"]
    parts.append(t._("due {date}", date=deadline(t, m, today)))
    parts.append(labels.status(t, m.status))
    if m.health is not None and lit is not None:
        parts.append(labels.health(t, m.health))
    late = days_overdue(m, today)
    if late:
        parts.append(t.n_("{n} day overdue", "{n} days overdue", late))
    if lit is Light.YELLOW and (note := forecast_note(t, m, today)) is not None:
        parts.append(note)
    if owner:
        parts.append(m.owner)
    return " · ".join(parts)


def forecast_note(t: Tr, m: Lamp, today: date) -> str | None:
    """预计逾期（按目前进度约12月20日完成）when the owner's pace projects a finish after the
    deadline (core.domain.lights.projected_late); None otherwise. The board calls it too."""
    finish = projected_late(m)
    if finish is None:
        return None
    return t._(
        "projected to be late (at the current pace, done around {date})", date=t.when(finish, today)
    )
