"""Summary, review and monthly report as chat text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.model import Light, MeasureFacts
from bot.domain.report import Counts, Group, MonthlyReport, Overdue, Review, Summary
from bot.i18n import Tr
from bot.render.labels import LIGHT_ICON
from bot.render.measures import line, short

MAX_ITEMS = 30


def headline(t: Tr, c: Counts, as_of: date) -> str:
    """截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。"""
    when = t.as_of(as_of)
    if c.total == 0:
        return t._("As of {when}, there are no measures.", when=when)
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


def lights(t: Tr, c: Counts) -> str:
    """🔴 1 · 🟡 2 · 🟢 3 · pending sign-off 0."""
    return " · ".join(
        [
            f"{LIGHT_ICON[Light.RED]} {t.num(c.red)}",
            f"{LIGHT_ICON[Light.YELLOW]} {t.num(c.yellow)}",
            f"{LIGHT_ICON[Light.GREEN]} {t.num(c.green)}",
            t._("pending sign-off {n}", n=t.num(c.pending)),
        ]
    )


def area_lines(t: Tr, areas: Sequence[Group]) -> list[str]:
    """One line per area: done x/y and its lights."""
    return [
        t._(
            "{number}. {area}: done {closed}/{total}",
            number=g.number,
            area=short(g.key, 24),
            closed=t.num(g.counts.closed),
            total=t.num(g.counts.total),
        )
        + f" · {LIGHT_ICON[Light.RED]}{g.counts.red} {LIGHT_ICON[Light.YELLOW]}{g.counts.yellow} {LIGHT_ICON[Light.GREEN]}{g.counts.green}"
        for g in areas
    ]


def _items(t: Tr, items: Sequence[MeasureFacts], today: date) -> list[str]:
    lines = [line(t, m, today, owner=True) for m in items[:MAX_ITEMS]]
    if len(items) > MAX_ITEMS:
        lines.append(t._("… and {n} more.", n=len(items) - MAX_ITEMS))
    return lines


def _overdue(t: Tr, items: Sequence[Overdue], today: date) -> list[str]:
    return _items(t, [o.measure for o in items], today)


def summary_text(t: Tr, s: Summary, programme: str) -> str:
    """/summary."""
    title = t._("📊 {programme} · summary as of {date}", programme=programme, date=t.date(s.as_of))
    if s.scope:
        title += f" · {s.scope}"
    lines = [
        title,
        headline(t, s.counts, s.as_of),
        lights(t, s.counts),
        "",
        t._("By area:"),
        *area_lines(t, s.areas),
    ]
    if s.red:
        lines += ["", t._("Red items:"), *_items(t, s.red, s.as_of)]
    return "\n".join(lines)


def review_text(t: Tr, r: Review, programme: str) -> str:
    """半月一研判 digest."""
    lines = [
        t._(
            "🔎 {programme} · fortnightly review, {date}", programme=programme, date=t.date(r.as_of)
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
            (t._("Newly red:"), r.newly_red),
            (t._("Newly closed:"), r.newly_closed),
            (t._("Newly blocked:"), r.newly_blocked),
        ]
        lines += ["", t._("Since the last review:")]
        for label, items in changes:
            lines.append(f"{label} " + (t.join(m.code for m in items) if items else t._("none")))
    if r.red:
        lines += ["", t._("Red items:")]
        lines += [line(t, o.measure, r.as_of, owner=True) for o in r.red[:MAX_ITEMS]]
    if r.blocked:
        lines += ["", t._("Blocked, needing a leader's decision:"), *_items(t, r.blocked, r.as_of)]
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
    if r.away:
        lines += ["", t._("Away: {names}", names=t.join(r.away))]
    if r.top_red_units:
        units = t.join(f"{g.key} ({g.counts.red})" for g in r.top_red_units)
        lines += ["", t._("Lead units with the most red: {units}", units=units)]
    return "\n".join(lines)


def _rate(t: Tr, value: float | None) -> str:
    return t.pct(value) if value is not None else "—"


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
        t._("By lead unit (done/total · answer rate · on-time rate):"),
    ]
    lines += [
        f"{g.key}: {t.num(g.counts.closed)}/{t.num(g.counts.total)} · {_rate(t, g.answer_rate)} · {_rate(t, g.on_time_rate)}"
        for g in r.units
    ]
    lines += [
        "",
        t.n_("Closed this month: {n}", "Closed this month: {n}", len(r.closed_this_month)),
    ]
    lines += _items(t, r.closed_this_month, r.as_of)
    lines += ["", t.n_("Overdue: {n}", "Overdue: {n}", len(r.overdue))]
    lines += _overdue(t, r.overdue, r.as_of)
    if r.long_term:
        lines += ["", t._("Long-term measures:"), *_items(t, r.long_term, r.as_of)]
    return "\n".join(lines)
