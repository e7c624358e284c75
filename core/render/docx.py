"""The monthly report as a Word document in the seed's shape; pure, returns bytes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.domain.closing import LookedBack
from core.domain.documents import Record, area_of
from core.domain.lights import days_overdue
from core.domain.model import Status
from core.domain.public import PublicTally
from core.domain.report import MonthlyReport
from core.domain.spotcheck import SpotTally
from core.i18n import N_, Tr
from core.render.digest import headline
from core.render.docx_base import heading, official_document, para, picture, to_bytes
from core.render.docx_outcomes import outcomes_section
from core.render.measures import deadline
from core.render.public import tally_sentence
from core.render.spotcheck import tally_lines

LOOKBACK_SAID = {
    "holds": N_("Look-back: the result holds. {note}"),
    "rebound": N_("Look-back: the problem has rebounded. {note}"),
}
LOOKED_BACK = {
    "holds": N_("Looked back on {date}: the result holds."),
    "rebound": N_("Looked back on {date}: the problem has rebounded; the measure is reopened."),
}
ENDINGS = ("。", ".", "！", "!", "？", "?", "；", ";", "…")


def title(t: Tr, programme: str) -> str:
    """关于…整改进展情况的报告 / Progress report on …."""
    if t.locale == "zh_CN":
        programme = programme.removesuffix("整改")  # 巡视整改 → 关于巡视整改进展情况的报告
    return t._("Progress report on {programme}", programme=t.stem(programme))


def _overall(
    doc: Any, t: Tr, r: MonthlyReport, chart: bytes | None, comments: PublicTally | None
) -> None:
    c = r.counts
    text = t.n_(
        "The programme has {n} measure: {closed} complete, {moving} in progress on schedule, {overdue} overdue; closed this month: {month}.",
        "The programme has {n} measures: {closed} complete, {moving} in progress on schedule, {overdue} overdue; closed this month: {month}.",
        c.total,
        closed=t.num(c.closed),
        moving=t.num(c.on_schedule),
        overdue=t.num(c.overdue),
        month=t.num(len(r.closed_this_month)),
    )
    lights = t._(
        "Lights: {red} red, {yellow} yellow, {green} green; {pending} awaiting sign-off.",
        red=t.num(c.red),
        yellow=t.num(c.yellow),
        green=t.num(c.green),
        pending=t.num(c.pending),
    )
    para(doc, "body", f"{text}{'' if t.locale == 'zh_CN' else ' '}{lights}")
    if comments is not None and (comments.received or comments.open):  # 群众监督
        para(doc, "body", tally_sentence(t, comments, month=True))
    if chart is not None:
        picture(doc, chart)


def sentence(text: str) -> str:
    """The owner's words ending as a sentence, with a full stop of their own script."""
    text = text.strip()
    if text.endswith(ENDINGS):
        return text
    return text + ("。" if "\u3400" <= text[-1] <= "\u9fff" else ".")


def progress(t: Tr, rec: Record, r: MonthlyReport) -> str:
    """One measure's progress as a sentence, in the owner's words when they gave any."""
    m = rec.facts
    if m.status is Status.CLOSED and rec.closed_on is not None:
        return t._("Completed; signed off on {date}.", date=t.date(rec.closed_on))
    if m.status is Status.CLOSED:
        # imported as done: the ledger's own progress note says how, when it has one
        done = t._("Completed before the ledger was entered.")
        if rec.extras.note:
            return done + ("" if t.locale == "zh_CN" else " ") + sentence(rec.extras.note)
        return done
    parts = []
    if rec.extras.note:
        said = sentence(rec.extras.note)
        if rec.extras.lookback:
            said = t._(LOOKBACK_SAID[rec.extras.lookback], note=said)
        when = t.date(rec.extras.noted_on) if rec.extras.noted_on else ""
        parts.append(t._("{note} ({owner}, {date})", note=said, owner=m.owner, date=when))
    else:
        parts.append(t._("No progress reported yet."))
    late = days_overdue(m, r.as_of)
    if late:
        parts.append(t.n_("{n} day overdue.", "{n} days overdue.", late))
    return ("" if t.locale == "zh_CN" else " ").join(parts)


def item(t: Tr, n: int, rec: Record, tail: str) -> str:
    """1. measure text（1.2.3）tail — Chinese runs on without spaces."""
    gap = "" if t.locale == "zh_CN" else " "
    code = t._("({code})", code=rec.facts.code)
    return f"{n}. {rec.facts.text}{gap}{code}{gap}{tail}"


def _area(doc: Any, t: Tr, r: MonthlyReport, number: int, rows: Sequence[Record]) -> None:
    group = next(g for g in r.areas if g.number == rows[0].facts.area_number)
    heading(doc, t, 1, number, t._("{area}: progress", area=group.key))
    c = group.counts
    para(
        doc,
        "body",
        t.n_(
            "This area has {n} measure: {closed} complete, {moving} in progress, {overdue} overdue.",
            "This area has {n} measures: {closed} complete, {moving} in progress, {overdue} overdue.",
            c.total,
            closed=t.num(c.closed),
            moving=t.num(c.on_schedule),
            overdue=t.num(c.overdue),
        ),
    )
    done = [x for x in rows if x.facts.status is Status.CLOSED]
    still = [x for x in rows if x.facts.status is not Status.CLOSED]
    sub = 0
    for label, items in ((t._("Completed"), done), (t._("In progress"), still)):
        if not items:
            continue
        sub += 1
        heading(doc, t, 2, sub, label)
        for i, rec in enumerate(items, start=1):
            para(doc, "body", item(t, i, rec, progress(t, rec, r)))


def _lists(doc: Any, t: Tr, r: MonthlyReport, rows: Sequence[Record], first: int) -> int:
    """Closed this month, overdue and long-term items; returns the next section number."""
    by_code = {x.facts.code: x for x in rows}
    heading(doc, t, 1, first, t._("Closed this month"))
    closed = [by_code[m.code] for m in r.closed_this_month if m.code in by_code]
    for i, rec in enumerate(closed, start=1):
        para(doc, "body", item(t, i, rec, progress(t, rec, r)))
    if not closed:
        para(doc, "body", t._("No measure was closed this month."))
    heading(doc, t, 1, first + 1, t._("Overdue items"))
    for i, o in enumerate(r.overdue, start=1):
        m = o.measure
        tail = t.n_(
            "Lead unit {unit}, owner {owner}, deadline {date}: {n} day overdue.",
            "Lead unit {unit}, owner {owner}, deadline {date}: {n} days overdue.",
            o.days,
            unit=m.lead_unit,
            owner=m.owner,
            date=deadline(t, m),
        )
        para(doc, "body", item(t, i, by_code.get(m.code, Record(m)), tail))
    if not r.overdue:
        para(doc, "body", t._("No measure is overdue."))
    heading(doc, t, 1, first + 2, t._("Long-term items"))
    for i, m in enumerate(r.long_term, start=1):
        rec = by_code.get(m.code, Record(m))
        para(doc, "body", item(t, i, rec, progress(t, rec, r)))
    if not r.long_term:
        para(doc, "body", t._("There are no long-term measures."))
    return first + 3


def next_steps(doc: Any, t: Tr, rows: Sequence[Record], number: int) -> None:
    heading(doc, t, 1, number, t._("Next steps"))
    steps = [x for x in rows if x.extras.next_step]
    for i, rec in enumerate(steps, start=1):
        para(doc, "body", item(t, i, rec, rec.extras.next_step))
    if not steps:
        para(doc, "body", t._("[The task force writes the next steps here.]"))


def _lookbacks(
    doc: Any, t: Tr, rows: Sequence[Record], done: Sequence[LookedBack], number: int
) -> None:
    """The month's look-backs, each with its outcome and the owner's words."""
    heading(doc, t, 1, number, t._("Look-backs this month"))
    texts = {x.facts.code: x.facts.text for x in rows}
    for i, d in enumerate(done, start=1):
        said = t._(LOOKED_BACK[d.verdict], date=t.date(d.on))
        if d.note.strip():
            said += ("" if t.locale == "zh_CN" else " ") + sentence(d.note)
        gap = "" if t.locale == "zh_CN" else " "
        code = t._("({code})", code=d.code)
        para(doc, "body", f"{i}. {texts.get(d.code, '')}{gap}{code}{gap}{said}")
    if not done:
        para(doc, "body", t._("No look-back was done this month."))


def monthly_docx(
    t: Tr,
    r: MonthlyReport,
    rows: Sequence[Record],
    programme: str,
    chart: bytes | None = None,
    looked_back: Sequence[LookedBack] = (),
    comments: PublicTally | None = None,
    spot: SpotTally | None = None,
) -> bytes:
    """The report: title, headline, overall progress (with the public's comments), a section
    per area, lists, look-backs, institutional outcomes, next steps."""
    doc = official_document()
    para(doc, "title", title(t, programme))
    para(doc, "note", t._("(as of {date})", date=t.date(r.as_of)))
    para(doc, "body", headline(t, r.counts, r.as_of))
    heading(doc, t, 1, 1, t._("Overall progress"))
    _overall(doc, t, r, chart, comments)
    number = 2
    for group in r.areas:
        mine = area_of(rows, group.number)
        if mine:
            _area(doc, t, r, number, mine)
            number += 1
    number = _lists(doc, t, r, rows, number)
    _lookbacks(doc, t, rows, looked_back, number)
    for text in tally_lines(t, spot):  # 随机抽查 belongs with the month's checks of closed work
        para(doc, "body", text)
    outcomes_section(doc, t, r, number + 1)
    next_steps(doc, t, rows, number + 2)
    return to_bytes(doc)
