"""The progress report's paragraphs in one language, in the seed's order and numbering; pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.domain.counts import Counts
from core.domain.inspection import InspectionFacts
from core.domain.progress_report import (
    NEXT_STEPS,
    RESPONSIBILITY,
    Activity,
    ProblemPart,
    ProgressReport,
)
from core.i18n import N_, Tr
from core.render.docx import ENDINGS
from core.render.docx_base import heading_number
from core.render.docx_outcomes import made
from core.render.inspection import span

# 一是…二是…: how the seed runs several measures' words together as one problem's prose
NTH = (
    N_("First, {words}"), N_("Second, {words}"), N_("Third, {words}"), N_("Fourth, {words}"),
    N_("Fifth, {words}"), N_("Sixth, {words}"), N_("Seventh, {words}"), N_("Eighth, {words}"),
    N_("Ninth, {words}"), N_("Tenth, {words}"),
)  # fmt: skip
FURTHER = N_("Further, {words}")
# the body that signs: 一、 names it short, as the seed's 党工委履行…
_SIGNER = re.compile(r"(党工委|党委|党组|党总支|党支部|工委)$")
_LEAD = re.compile(r"^([（(][一二三四五六七八九十]+[）)][^。]*。)(.*)$")
_INSPECTION_BODY = re.compile(r"^(.+?)第[一二三四五六七八九十]+(?:巡视|巡察)组$")


@dataclass(frozen=True)
class Block:
    """One paragraph: its style (title, h1, h2, body, sign), text and lead (（一）提高站位抓整改。)."""

    style: str
    text: str
    lead: str = ""

    @property
    def full(self) -> str:
        """The paragraph's text as a reader sees it."""
        return self.lead + self.text


def _zh(t: Tr) -> bool:
    return t.locale.startswith("zh")


def sentence(t: Tr, text: str) -> str:
    """Words ending as a sentence: with 。 in a Chinese report (继续推进4.1.1。), else by their script."""
    text = text.strip()
    if text.endswith(ENDINGS):
        return text
    return text + ("。" if _zh(t) or "\u3400" <= text[-1] <= "\u9fff" else ".")


def _led(t: Tr, lead: str, text: str) -> Block:
    """A body paragraph opening with a numbered lead; English puts a space after it."""
    return Block("body", text, lead=lead if _zh(t) else lead.rstrip() + " ")


def prose(t: Tr, words: Sequence[str]) -> str:
    """Several owners' words as one paragraph: 一是…。二是…。 / First, … Second, …."""
    said = [sentence(t, w) for w in words if w.strip()]
    if len(said) == 1:
        return said[0]
    return t.sentences(
        *(t._(NTH[i] if i < len(NTH) else FURTHER, words=w) for i, w in enumerate(said))
    )


def as_of(t: Tr, day: date) -> str:
    """截至2024年9月底 reads a month's end as such, with its year."""
    if (day + timedelta(days=1)).day == 1:
        return t._("the end of {month}", month=t.month(day.year, day.month))
    return t.date(day)


def headline(t: Tr, c: Counts, day: date) -> str:
    """截至2024年9月底，制定的42项整改措施已完成35项，其他整改任务按照时序推进。"""
    when = as_of(t, day)
    if c.total == 0:
        return t._("As of {when}, no rectification measures have been set.", when=when)
    if c.open == 0:
        return t.n_(
            "As of {when}, the {n} rectification measure set has been completed.",
            "As of {when}, all {n} rectification measures set have been completed.",
            c.total,
            when=when,
        )
    done = dict(when=when, total=t.num(c.total))
    if not c.overdue:
        return t.n_(
            "As of {when}, {n} of the {total} rectification measures set has been completed; the other rectification tasks are progressing on schedule.",
            "As of {when}, {n} of the {total} rectification measures set have been completed; the other rectification tasks are progressing on schedule.",
            c.closed,
            **done,
        )
    if not c.on_schedule:
        return t.n_(
            "As of {when}, {n} of the {total} rectification measures set has been completed; the other {late} are overdue.",
            "As of {when}, {n} of the {total} rectification measures set have been completed; the other {late} are overdue.",
            c.closed,
            late=t.num(c.overdue),
            **done,
        )
    return t.n_(
        "As of {when}, {n} of the {total} rectification measures set has been completed and {late} are overdue; the other rectification tasks are progressing on schedule.",
        "As of {when}, {n} of the {total} rectification measures set have been completed and {late} are overdue; the other rectification tasks are progressing on schedule.",
        c.closed,
        late=t.num(c.overdue),
        **done,
    )


def preamble(t: Tr, f: InspectionFacts) -> str:
    """Who inspected whom and when, the feedback, and 现将…予以公布; a place for it until known."""
    if not f.complete or f.window_start is None or f.window_end is None:
        return t._(
            "[The task force writes here who inspected whom and when: set the facts with /programme.]"
        )
    window = span(t, f.window_start, f.window_end)
    feedback = t.date(f.feedback_on)
    found = _INSPECTION_BODY.match(f.inspector)
    said = dict(window=window, inspector=f.inspector, organisation=f.organisation)
    if found and _zh(t):
        inspected = t._(
            "As {authority} deployed, from {window}, {inspector} inspected {organisation}.",
            authority=found[1],
            **said,
        )
    else:
        inspected = t._("From {window}, {inspector} inspected {organisation}.", **said)
    return t.sentences(
        inspected,
        t._(
            "On {date}, {inspector} gave {organisation} its findings.",
            date=feedback,
            inspector=f.inspector,
            organisation=f.organisation,
        ),
        t._("As the rectification rules require, its progress is hereby made public."),
    )


def _responsibility(t: Tr, r: ProgressReport) -> list[Block]:
    if r.responsibility:
        return [_narrated(p) for p in r.responsibility]
    items = _tally(t, r.activity)
    facts = (
        t._("Since the rectification began, the record shows {items}.", items=t.join(items))
        if items
        else t._("Since the rectification began, no dispatch or review has been recorded yet.")
    )
    hint = t._(
        "[The task force writes here how the principal responsibility was fulfilled: send it with /narrative {n} and the text.]",
        n=RESPONSIBILITY,
    )
    return [Block("body", facts), Block("body", hint)]


def _tally(t: Tr, a: Activity) -> list[str]:
    """What the rhythm did, each kind that happened at all."""
    items = [
        (a.dispatches, t.n_("{n} weekly dispatch", "{n} weekly dispatches", a.dispatches)),
        (a.reviews, t.n_("{n} fortnightly review", "{n} fortnightly reviews", a.reviews)),
        (a.reports, t.n_("{n} monthly report", "{n} monthly reports", a.reports)),
        (a.follow_ups, t.n_("{n} follow-up", "{n} follow-ups", a.follow_ups)),
        (a.letters, t.n_("{n} work prompt letter", "{n} work prompt letters", a.letters)),
        (a.lookbacks, t.n_("{n} look-back", "{n} look-backs", a.lookbacks)),
    ]
    return [text for n, text in items if n]


def _narrated(paragraph: str) -> Block:
    """A paragraph the task force wrote: its （一）…。 lead set apart, as the seed sets it."""
    found = _LEAD.match(paragraph)
    return Block("body", found[2], lead=found[1]) if found else Block("body", paragraph)


def _problem(t: Tr, p: ProblemPart, day: date) -> Block:
    name = p.problem.removesuffix("方面") if _zh(t) else p.problem
    lead = heading_number(t, 3, p.number) + t._("{problem}.", problem=name)
    parts = [prose(t, p.words)] if p.words else []
    if p.letters:
        parts.append(
            t.n_(
                "{n} work prompt letter was sent to press for rectification.",
                "{n} work prompt letters were sent to press for rectification.",
                p.letters,
            )
        )
    c = p.counts
    if c.open:
        # as the seed counts: 完成销号6个，按照时序推进7个 (a kind with none is left out)
        tally = [
            text
            for n, text in (
                (c.closed, t._("{n} closed", n=t.num(c.closed))),
                (c.on_schedule, t._("{n} progressing on schedule", n=t.num(c.on_schedule))),
                (c.overdue, t._("{n} overdue", n=t.num(c.overdue))),
            )
            if n
        ]
        parts.append(
            t.n_(
                "As of {when}, it has {n} measure: {tally}.",
                "As of {when}, it has {n} measures: {tally}.",
                c.total,
                when=t.as_of(day),
                tally=t.series(tally),
            )
        )
    if not parts:
        parts.append(t._("[The task force writes this problem's progress here.]"))
    return _led(t, lead, t.sentences(*parts))


def _rules(t: Tr, r: ProgressReport, number: int) -> Block:
    """（五）推进建章立制方面。 then the rules made, as the seed's 三、 ends."""
    lead = heading_number(t, 2, number) + t._("Building rules and institutions.")
    return _led(t, lead, made(t, r.outcomes, as_of(t, r.as_of)))


def _organisation(t: Tr, organisation: str) -> str:
    if not _zh(t):
        return organisation
    found = _SIGNER.search(organisation)
    return found[1] if found else organisation


def blocks(t: Tr, r: ProgressReport, programme: str) -> list[Block]:
    """Every paragraph of the report, in order."""
    f = r.facts
    signer = f.organisation or programme
    out = [Block("title", t._("Progress of the rectification after the inspection"))]
    if f.organisation:
        out[0] = Block(
            "title",
            t._(
                "{organisation}: progress of the rectification after the inspection",
                organisation=signer,
            ),
        )
    out.append(Block("body", preamble(t, f)))
    first = (
        t._(
            "How {organisation} fulfilled its principal responsibility for the rectification",
            organisation=_organisation(t, f.organisation),
        )
        if f.organisation
        else t._("How the principal responsibility for the rectification was fulfilled")
    )
    out.append(Block("h1", heading_number(t, 1, 1) + first))
    out += _responsibility(t, r)
    title = t._("Rectification of the key problems raised in the inspection feedback")
    out.append(Block("h1", heading_number(t, 1, 2) + title))
    out.append(Block("body", headline(t, r.counts, r.as_of)))
    for area in r.areas:
        text = t._("Rectification in {area}", area=area.area)
        out.append(Block("h2", heading_number(t, 2, area.number) + text))
        out += [_problem(t, p, r.as_of) for p in area.problems]
    title = t._("Progress on matters needing long-term rectification")
    out.append(Block("h1", heading_number(t, 1, 3) + title))
    for m in r.long_term:
        words = sentence(t, m.words) if m.words else t._("[The owner has not reported on it yet.]")
        lead = heading_number(t, 2, m.number) + sentence(t, m.measure)
        out.append(_led(t, lead, words))
    if r.outcomes:
        out.append(_rules(t, r, len(r.long_term) + 1))
    elif not r.long_term:
        out.append(Block("body", t._("There are no long-term measures.")))
    out.append(Block("h1", heading_number(t, 1, 4) + t._("Plans for the next stage")))
    out += [_narrated(p) for p in r.plans] or [
        Block(
            "body",
            t._(
                "[The task force writes its plans for the next stage here: send them with /narrative {n} and the text.]",
                n=NEXT_STEPS,
            ),
        )
    ]
    for g in r.next_steps:
        lead = heading_number(t, 2, g.number) + sentence(t, g.area)
        out.append(_led(t, lead, prose(t, g.steps)))
    if f.contact.strip():
        welcome = t._(
            "Officials and the public are welcome to oversee the rectification. Please let us know of any comments or suggestions."
        )
        contact = t.sentences(*(line.strip() for line in f.contact.splitlines()))
        out.append(Block("body", t.sentences(welcome, contact)))
    out.append(Block("sign", signer))
    out.append(Block("sign", t.date(r.signed_on)))
    return out
