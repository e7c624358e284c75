"""Random programme histories (Hypothesis): a small ledger lived through a few months of 2024."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import strategies as st

from oracle.events import (
    SH,
    Answer,
    AskExtension,
    Decide,
    Dispatch,
    Event,
    History,
    Import,
    LookBack,
    Retire,
    Row,
    Schedule,
    at,
    next_workday,
)
from oracle.model import ANSWERABLE, Replay

UNITS = ("科技创新局", "审计局", "建设局", "城管局")
AREAS = ("一、思想认识方面", "二、工作落实方面")
OWNERS = ("王伟", "李娜", "张敏", "刘洋")
# near midnight in Shanghai (the day before in UTC), around the 09:00 dispatch, and ordinary hours
TIMES = ((0, 10), (7, 30), (8, 59), (9, 1), (10, 30), (15, 0), (23, 50))
CHECK_TIMES = ((0, 5), (9, 3), (13, 0), (23, 55))  # checks never tie with an event
LOOKBACK_DAYS = 14  # the oracle's programmes look back two weeks after a closure
LAST_DAY = date(2024, 12, 31)  # events.HOLIDAYS knows 2024 only
Draw = st.DrawFn


def _row(draw: Draw, code: str, start: date, days: int, areas: int, units: int, owners: int) -> Row:
    kind = draw(st.sampled_from(("dated", "dated", "dated", "long", "immediate")))
    deadline = None
    if kind == "dated":
        deadline = start + timedelta(days=draw(st.integers(-20, days + 20)))
    status = {
        "dated": st.sampled_from(("not_started", "in_progress", "in_progress", "closed")),
        "long": st.just("long_term"),
        "immediate": st.sampled_from(("not_started", "in_progress")),
    }[kind]
    return Row(
        code=code,
        area=AREAS[draw(st.integers(0, areas - 1))],
        unit=UNITS[draw(st.integers(0, units - 1))],
        owner=OWNERS[draw(st.integers(0, owners - 1))],
        kind=kind,
        deadline=deadline,
        status=draw(status),
    )


def _moment(draw: Draw, day: date, times: tuple[tuple[int, int], ...] = TIMES) -> datetime:
    return at(day, *draw(st.sampled_from(times)))


@st.composite
def histories(draw: Draw, max_weeks: int = 16) -> History:
    """A programme: a first import, then weeks of dispatches, answers, decisions and re-imports."""
    start = draw(st.dates(date(2024, 8, 1), date(2024, 10, 20)))
    weeks = min(draw(st.integers(8, max_weeks)), (LAST_DAY - start).days // 7 - 1)
    days = weeks * 7
    areas, units, owners = (
        draw(st.integers(1, 2)),
        draw(st.integers(2, 4)),
        draw(st.integers(2, 4)),
    )
    n = draw(st.integers(4, 12))
    rows = tuple(
        _row(draw, f"{i % areas + 1}.{i + 1}", start, days, areas, units, owners) for i in range(n)
    )
    shape = (start, days, areas, units, owners)
    state, events = Replay(), []

    def add(e: Event) -> None:
        events.append(e)
        state.apply(e)

    add(Import(_moment(draw, start), rows, first=True))
    used: set[date] = set()  # nominal dispatch days already sent (one dispatch per period)
    after: set[datetime] = set()  # checks drawn just after a look-back, else seldom one falls there
    for w in range(weeks):
        monday = start - timedelta(days=start.weekday()) + timedelta(days=7 * (w + 1))
        moments = sorted(
            _moment(draw, monday + timedelta(days=draw(st.integers(0, 6))))
            for _ in range(draw(st.integers(0, 3)))
        )
        nominal = monday + timedelta(days=state.weekday)
        sent = next_workday(nominal)
        late = draw(st.sampled_from((0, 0, 0, 5, 180)))  # minutes: on time, or after an outage
        dispatch_at = at(sent, 9) + timedelta(minutes=late)
        pending_dispatch = nominal not in used
        for moment in moments:
            if pending_dispatch and dispatch_at <= moment:
                add(_dispatch(draw, dispatch_at, owners))
                used.add(nominal)
                pending_dispatch = False
            e = _action(draw, state, moment, shape)
            if e is not None:
                add(e)
                if isinstance(e, Schedule):
                    pending_dispatch = False  # this week's goes out on the old day or not at all
                if isinstance(e, LookBack):  # a check within 3 days of it
                    day = e.at.astimezone(SH).date() + timedelta(days=draw(st.integers(0, 3)))
                    after.add(_moment(draw, day, CHECK_TIMES))
        if pending_dispatch and dispatch_at.date() < monday + timedelta(days=7):
            add(_dispatch(draw, dispatch_at, owners))
            used.add(nominal)
    end = start + timedelta(days=days + 7)
    checks = sorted(
        {
            _moment(draw, start + timedelta(days=draw(st.integers(1, days + 6))), CHECK_TIMES)
            for _ in range(draw(st.integers(1, 3)))
        }
        | after
    )
    return History(at(start, 8), tuple(events), tuple(c for c in checks if c.date() < end))


# made once: a strategy made per draw is validated anew each time (a tenth of generating)
_LOST = {n: st.sets(st.sampled_from(OWNERS[:n]), max_size=1) for n in range(1, len(OWNERS) + 1)}


def _dispatch(draw: Draw, moment: datetime, owners: int) -> Dispatch:
    lost = draw(_LOST[owners])
    return Dispatch(moment, frozenset(lost))


def _action(
    draw: Draw, state: Replay, moment: datetime, shape: tuple[date, int, int, int, int]
) -> Event | None:
    """One thing that can happen now, given how the programme stands."""
    live = {c: m for c, m in state.measures.items() if not m.removed}
    today = moment.astimezone(SH).date()
    answerable = sorted(c for c, m in live.items() if m.status in ANSWERABLE)
    waiting = sorted(c for c, m in live.items() if m.request is not None)
    extendable = sorted(
        c
        for c in answerable
        if live[c].request is None and live[c].deadline is not None and not live[c].immediate
        and live[c].status != "long_term"
    )  # fmt: skip
    lookable = sorted(
        c
        for c, m in live.items()
        if m.status == "closed" and m.closed_on is not None and not m.looked_back
        and today >= m.closed_on + timedelta(days=LOOKBACK_DAYS)
    )  # fmt: skip
    kinds = ["answer"] * 4 * bool(answerable) + ["decide"] * 2 * bool(waiting)
    kinds += ["extend"] * bool(extendable) + ["lookback"] * 2 * bool(lookable)
    retirable = sorted(c for c, m in live.items() if m.request is None)
    kinds += ["reimport", "schedule"] + ["retire"] * bool(retirable)
    kind = draw(st.sampled_from(kinds))
    if kind == "answer":
        code = draw(st.sampled_from(answerable))
        m = live[code]
        ask = m.status != "long_term" and m.request is None and draw(st.booleans())
        health = draw(st.sampled_from(("on_track", "on_track", "at_risk", "blocked")))
        note = draw(st.sampled_from(("按计划推进。", "已完成，申请销号。", "资金未到位。")))
        # half the time the owner's pace goes on from the last answer (slowly, as forecasts
        # turn yellow on), else any percentage (a fall starts the pace afresh)
        said = state.percents.get(code)
        if said and draw(st.booleans()):
            percent = min(100, said[-1][1] + draw(st.integers(0, 12)))
        else:
            percent = draw(st.integers(0, 100))
        return Answer(moment, code, health, percent, note, ask)
    if kind == "decide":
        return Decide(moment, draw(st.sampled_from(waiting)), draw(st.booleans()))
    if kind == "extend":
        code = draw(st.sampled_from(extendable))
        old = live[code].deadline
        assert old is not None
        return AskExtension(moment, code, old + timedelta(days=draw(st.integers(7, 45))))
    if kind == "lookback":
        return LookBack(moment, draw(st.sampled_from(lookable)), draw(st.booleans()))
    if kind == "retire":
        return Retire(moment, draw(st.sampled_from(retirable)))
    if kind == "schedule":
        return Schedule(moment, draw(st.sampled_from([d for d in range(5) if d != state.weekday])))
    return _reimport(draw, state, moment, shape)


def _reimport(
    draw: Draw, state: Replay, moment: datetime, shape: tuple[date, int, int, int, int]
) -> Import:
    """The office's next ledger: some statuses and deadlines changed, a row dropped or added."""
    start, days, areas, units, owners = shape
    rows: list[Row] = []
    for _code, m in sorted(state.measures.items()):
        if m.removed:
            continue
        r = m.row
        change = draw(st.sampled_from(("keep", "keep", "keep", "status", "deadline", "remove")))
        if change == "remove":
            continue
        if change == "status":
            allowed = {
                "dated": ("not_started", "in_progress", "closed"),
                "long": ("long_term",),
                "immediate": ("not_started", "in_progress", "closed"),
            }[r.kind]
            r = Row(
                r.code, r.area, r.unit, r.owner, r.kind, r.deadline, draw(st.sampled_from(allowed))
            )
        if change == "deadline" and r.kind == "dated" and r.deadline is not None:
            moved = r.deadline + timedelta(days=draw(st.integers(-14, 30)))
            r = Row(r.code, r.area, r.unit, r.owner, r.kind, moved, r.status)
        rows.append(r)
    gone = sorted(c for c, m in state.measures.items() if m.removed)
    if len(gone) > 0 and draw(st.booleans()):
        rows.append(state.measures[draw(st.sampled_from(gone))].row)  # a removed row comes back
    if draw(st.booleans()):
        code = f"{areas}.{len(state.measures) + 1}"
        rows.append(_row(draw, code, start, days, areas, units, owners))
    if not rows:
        rows.append(_row(draw, f"1.{len(state.measures) + 1}", start, days, areas, units, owners))
    return Import(moment, tuple(rows))
