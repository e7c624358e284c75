"""Summary, review and monthly report as chat text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.domain.filters import Filter, Kind
from core.domain.model import Light, MeasureFacts
from core.domain.report import Counts, Group, MonthlyReport, Overdue, Review, Summary
from core.i18n import N_, Tr
from core.render.docx_base import heading_number
from core.render.labels import LIGHT_ICON
from core.render.letter_words import letter_lines
from core.render.measures import line, short, with_answer

MAX_ITEMS = 30
MAX_LISTED = 10  # red or yellow items listed in a summary before "… and N more"


def headline(t: Tr, c: Counts, as_of: date) -> str:
    """截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。"""
    when = t.as_of(as_of)
    if c.total == 0:
        return t._("As of {when}, there are no measures.", when=when)
    if c.total == 1:  # not "0 of 1 measures are complete"
        return _one(t, c, when)
    if c.open == 0:
        return t._(
            "As of {when}, all {total} measures are complete.", when=when, total=t.num(c.total)
        )
    head = t.n_(
        "As of {when}, {n} of {total} measures is complete",
        "As of {when}, {n} of {total} measures are complete",
        c.closed,
        when=when,
        total=t.num(c.total),
    )
    moving = t.n_("{n} is in progress", "{n} are in progress", c.on_schedule)
    late = t.n_("{n} is overdue", "{n} are overdue", c.overdue)
    if c.overdue and c.on_schedule:
        tail = t._(
            "; of the other {open}, {moving} and {late}.",
            open=t.num(c.open),
            moving=moving,
            late=late,
        )
    else:
        tail = t._("; {part}.", part=late if c.overdue else moving)
    return head + tail


def _one(t: Tr, c: Counts, when: str) -> str:
    """The headline of a single measure: complete, overdue, or in progress."""
    if c.open == 0:
        return t._("As of {when}, the one measure is complete.", when=when)
    if c.overdue:
        return t._("As of {when}, the one measure is not complete yet; it is overdue.", when=when)
    return t._("As of {when}, the one measure is not complete yet; it is in progress.", when=when)


def lights(t: Tr, c: Counts) -> str:
    """🔴红灯1项、🟡黄灯2项、🟢绿灯3项、待销号0项 / 🔴 1 red, 🟡 2 yellow, 🟢 3 green, 0 awaiting sign-off."""
    return t.series([*_lit(t, c, every=True), t._("{n} awaiting sign-off", n=t.num(c.pending))])


def _lit(t: Tr, c: Counts, *, every: bool) -> list[str]:
    """Each light with its count (every one, or only those lit)."""
    counts = (
        (Light.RED, c.red, N_("{icon} {n} red")),
        (Light.YELLOW, c.yellow, N_("{icon} {n} yellow")),
        (Light.GREEN, c.green, N_("{icon} {n} green")),
    )
    return [t._(text, icon=LIGHT_ICON[lit], n=t.num(n)) for lit, n, text in counts if n or every]


def area_lines(t: Tr, areas: Sequence[Group]) -> list[str]:
    """One line per area: 20项中已完成16项, then its lights that are lit."""
    lines = []
    for g in areas:
        done = t._(
            "{number}. {area}: {closed} of {total} complete",
            number=g.number,
            area=short(g.key, 24),
            closed=t.num(g.counts.closed),
            total=t.num(g.counts.total),
        )
        lit = _lit(t, g.counts, every=False)
        lines.append(t._("{done}; {lights}", done=done, lights=t.series(lit)) if lit else done)
    return lines


def _items(t: Tr, items: Sequence[MeasureFacts], today: date) -> list[str]:
    lines = [line(t, m, today, owner=True) for m in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(t._("… and {n} more.", n=len(items) - MAX_ITEMS))
    return lines


def _overdue(t: Tr, items: Sequence[Overdue], today: date) -> list[str]:
    return _items(t, [o.measure for o in items], today)


def _answered(
    t: Tr,
    items: Sequence[MeasureFacts],
    today: date,
    limit: int = MAX_ITEMS,
    total: int | None = None,
) -> list[str]:
    """Items with the owner's latest words under each, then how many were left out (of `total`
    when the items are only the first few of a longer list)."""
    lines = [text for m in items[:limit] for text in with_answer(t, m, today)]
    left = (len(items) if total is None else total) - limit
    if left > 0:
        lines.append(
            t._(
                "… and {n} more (/summary area N or /summary unit NAME narrows the list).",
                n=t.num(left),
            )
        )
    return lines


def scope(t: Tr, f: Filter) -> str:
    """What a /summary filter kept, for the title."""
    if f.kind is Kind.OVERDUE:
        return t._("overdue only")
    if f.kind is Kind.AREA:
        return t._("area {n}", n=f.value)
    return t._("unit {name}", name=f.value)


def owner_headline(t: Tr, c: Counts, as_of: date) -> str:
    """截至9月底，您负责的2项整改措施已完成0项，其余2项正在推进 (or which are overdue)."""
    when, closed = t.as_of(as_of), t.num(c.closed)
    if not c.overdue:
        return t.n_(
            "As of {when}, you own {n} measure: {closed} complete, {open} still open.",
            "As of {when}, you own {n} measures: {closed} complete, {open} still open.",
            c.total,
            when=when,
            closed=closed,
            open=t.num(c.open),
        )
    if not c.on_schedule:
        return t.n_(
            "As of {when}, you own {n} measure: {closed} complete, {late} overdue.",
            "As of {when}, you own {n} measures: {closed} complete, {late} overdue.",
            c.total,
            when=when,
            closed=closed,
            late=t.num(c.overdue),
        )
    return t.n_(
        "As of {when}, you own {n} measure: {closed} complete; of the other {open}, {moving} still open and {late} overdue.",
        "As of {when}, you own {n} measures: {closed} complete; of the other {open}, {moving} still open and {late} overdue.",
        c.total,
        when=when,
        closed=closed,
        open=t.num(c.open),
        moving=t.num(c.on_schedule),
        late=t.num(c.overdue),
    )


def summary_text(t: Tr, s: Summary, programme: str) -> str:
    """/summary: headline, lights, areas, then red and yellow items with the owners' words."""
    # the picture as of today: the date as people write it, without this year's number
    title = t._(
        "📊 {programme} · summary as of {date}", programme=programme, date=t.day_month(s.as_of)
    )
    if s.where.kind is not Kind.ALL:
        title += f" · {scope(t, s.where)}"
    if s.where.kind is Kind.OVERDUE and not s.overdue:
        return "\n".join(
            [title, t._("As of {when}, no measure is overdue.", when=t.as_of(s.as_of))]
        )
    lines = [title]
    if s.owner_view:
        lines.append(owner_headline(t, s.counts, s.as_of))
    else:
        lines.append(headline(t, s.counts, s.as_of))
    if s.unit_share is not None:
        lead, co = s.unit_share
        lines.append(t._("It leads {lead} and co-works on {co}.", lead=t.num(lead), co=t.num(co)))
    lines.append(lights(t, s.counts))
    if len(s.areas) > 1:
        lines += ["", t._("By area:"), *area_lines(t, s.areas)]
    if s.red:
        red = _answered(t, s.red, s.as_of, MAX_LISTED, s.counts.red)
        lines += ["", t._("Red items:"), *red]
    if s.yellow:
        yellow = _answered(t, s.yellow, s.as_of, MAX_LISTED, s.counts.yellow)
        lines += ["", t._("Yellow items:"), *yellow]
    return "\n".join(lines)


def review_text(t: Tr, r: Review, programme: str) -> str:
    """半月一研判 digest."""
    lines = [
        t._(
            "🔎 {programme} · fortnightly review, {date}",
            programme=programme,
            date=t.day_month(r.as_of),  # the day it goes out: no year, as people write it
        ),
        headline(t, r.counts, r.as_of),
        lights(t, r.counts),
        "",
        t._("Lights by area:"),
        *area_lines(t, r.areas),
    ]
    if r.first:
        lines += ["", t._("This is the first review: changes are counted from the next one.")]
    else:
        changes = [
            (N_("Newly red: {codes}"), r.newly_red),
            (N_("Newly closed: {codes}"), r.newly_closed),
            (N_("Newly blocked: {codes}"), r.newly_blocked),
        ]
        lines += ["", t._("Since the last review:")]
        for label, items in changes:
            codes = t.join(m.code for m in items) if items else t._("none")
            lines.append(t._(label, codes=codes))
    if r.red:
        lines += ["", t._("Red items:")]
        lines += _answered(t, [o.measure for o in r.red], r.as_of)
    if r.yellow:
        lines += ["", t._("Yellow items:"), *_answered(t, r.yellow, r.as_of)]
    if r.blocked:
        lines += [
            "",
            t._("Blocked, needing a leader's decision:"),
            *_answered(t, r.blocked, r.as_of),
        ]
    if r.silent_owners:
        lines += [
            "",
            t._("Owners who did not answer: {names}", names=t.join(r.silent_owners)),
        ]
    if r.unreachable:
        lines += [
            "",
            t._(
                "Owners I cannot reach (not bound or blocked the bot): {names}",
                names=t.join(r.unreachable),
            ),
        ]
    if r.waiting:
        waited = t.join(
            t.n_("{code} ({n} working day)", "{code} ({n} working days)", days, code=code)
            for code, days in r.waiting
        )
        lines += [
            "",
            t._("Requests waiting over 3 working days for a decision: {items}", items=waited),
        ]
    if r.letters:
        lines += ["", t._("Work prompt letters:"), *letter_lines(t, r.letters)]
    if r.away:
        away = [
            t._("{name} ({start} to {end})", name=n, start=t.day_month(a), end=t.day_month(b))
            for n, a, b in r.away
        ]
        lines += ["", t._("Away: {names}", names=t.join(away))]
    if r.top_red_units:
        units = t.join(
            t._("{unit} ({n} red)", unit=g.key, n=t.num(g.counts.red)) for g in r.top_red_units
        )
        lines += ["", t._("Lead units with the most red: {units}", units=units)]
    return "\n".join(lines)


def report_text(t: Tr, r: MonthlyReport, programme: str) -> str:
    """每月一汇报."""
    lines = [
        t._(
            "📋 {programme} · monthly report for {month}",
            programme=programme,
            month=t.month(r.year, r.month),
        ),
        headline(t, r.counts, r.as_of),
        lights(t, r.counts),
        "",
        t._("By area:"),
        *area_lines(t, r.areas),
        "",
        t._("By lead unit:"),
    ]
    lines += [unit_sentence(t, g) for g in r.units]
    lines += [
        "",
        t.n_("Closed this month: {n}", "Closed this month: {n}", len(r.closed_this_month)),
    ]
    lines += _items(t, r.closed_this_month, r.as_of)
    lines += ["", t.n_("Overdue: {n}", "Overdue: {n}", len(r.overdue))]
    lines += _answered(t, [o.measure for o in r.overdue], r.as_of)
    if r.long_term:
        lines += ["", t._("Long-term measures:"), *_answered(t, r.long_term, r.as_of)]
    lines += ["", t._("Progress by area, in the owners' words:")]
    for g in r.areas:
        lines += area_progress(t, r, g)
    return "\n".join(lines)


def unit_sentence(t: Tr, g: Group) -> str:
    """城市管理局：牵头2项，已完成0项，反馈率50%，按时完成率0%."""
    text = t.n_(
        "{unit}: leads {n} measure, {closed} complete",
        "{unit}: leads {n} measures, {closed} complete",
        g.counts.total,
        unit=g.key,
        closed=t.num(g.counts.closed),
    )
    if g.answer_rate is not None:
        text += t._(", answer rate {rate}", rate=t.pct(g.answer_rate))
    if g.on_time_rate is not None:
        text += t._(", on-time rate {rate}", rate=t.pct(g.on_time_rate))
    return text


def area_progress(t: Tr, r: MonthlyReport, g: Group) -> list[str]:
    """One area: what was closed this month and what remains, with the owners' latest words."""
    closed = [m for m in r.closed_this_month if m.area_number == g.number]
    still = [m for m in r.measures if m.area_number == g.number and m.status.is_open]
    number = heading_number(t, 1, g.number)
    lines = [
        number + g.key
    ]  # 一、党的建设方面, as the seed heads its sections; 1. Area one  # 一、党的建设方面 / 1. Party building
    if closed:
        lines += [t._("Closed this month:"), *_answered(t, closed, r.as_of, MAX_LISTED)]
    if still:
        lines += [t._("Still open:"), *_answered(t, still, r.as_of, MAX_LISTED)]
    if not closed and not still:
        lines.append(t._("All measures of this area were closed before this month."))
    return lines
