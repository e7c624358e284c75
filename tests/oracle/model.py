"""The oracle's own count: a programme's figures from its generated events alone.

Nothing here imports the product's rules (core.domain counts, lights, glance, report): each
definition is written again from DOMAIN.md, so the two can disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from math import ceil

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
    add_workdays,
    is_workday,
    next_workday,
)

ANSWERABLE = frozenset({"not_started", "in_progress", "long_term", "reopened"})
YELLOW_DAYS = 14  # DOMAIN.md: deadline within 14 days
GRACE = 6  # 立行立改: due the day it came in, red from a week later
NUDGE_WORKDAYS = 2  # an answer is expected within two working days of a dispatch
PACE_ANSWERS = 3  # issue 29: never project from fewer than three answers
PACE_HORIZON = 750  # working days: a slower pace projects nothing


@dataclass
class Measure:
    """One measure as the events made it."""

    row: Row
    deadline: date | None
    status: str
    imported_status: str
    health: str | None = None
    closed_on: date | None = None  # the day of the approving sign-off, Shanghai time
    removed: bool = False
    request: str | None = None  # signoff | extension, while one waits for a decision
    asked_deadline: date | None = None
    looked_back: bool = False  # this closure was looked back on
    extended: bool = False  # an extension approved since the last import that set a deadline
    retired: bool = False  # in chat: a later import keeps it out (the preview names it)

    @property
    def immediate(self) -> bool:
        return self.row.kind == "immediate"


@dataclass(frozen=True)
class Sent:
    """One dispatch: when, the weekday then in force, and per measure listed whether it arrived."""

    at: datetime
    weekday: int
    items: dict[str, bool]

    @property
    def answer_by(self) -> datetime:
        """When the next dispatch of the rhythm in force is due: the end of this one's window."""
        day = self.at.astimezone(SH).date()
        monday = day - timedelta(days=day.weekday())
        # the nominal day of this period is on the weekday in force, in the week it was sent
        nominal = monday + timedelta(days=self.weekday)
        if nominal > day:  # sent on a later weekday than nominal: the nominal day was last week's
            nominal -= timedelta(days=7)
        return datetime.combine(next_workday(nominal + timedelta(days=7)), time(9), SH)

    @property
    def short(self) -> bool:
        """Too little time to answer before the next dispatch is due: neither silence nor answer."""
        day = self.at.astimezone(SH).date()
        nudge = datetime.combine(add_workdays(day, NUDGE_WORKDAYS), time(9), SH)
        return nudge >= self.answer_by


@dataclass(frozen=True)
class Counts:
    """How the live measures stand on a day."""

    total: int
    closed: int
    overdue: int
    pending: int
    long_term: int
    red: int
    yellow: int
    green: int


@dataclass
class Replay:
    """The programme after some events (apply them in time order)."""

    measures: dict[str, Measure] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    answers: dict[str, list[datetime]] = field(default_factory=dict)
    percents: dict[str, list[tuple[date, int]]] = field(default_factory=dict)  # (day, percent)
    signed_off: list[tuple[str, date]] = field(default_factory=list)  # every approval, in order
    weekday: int = 0
    now: datetime | None = None

    def apply(self, e: Event) -> None:
        """One event."""
        self.now = e.at
        if isinstance(e, Import):
            self._import(e)
        elif isinstance(e, Answer):
            m = self.measures[e.code]
            m.health = e.health
            m.status = "in_progress" if m.status in ("not_started", "reopened") else m.status
            if e.signoff:
                m.status, m.request = "pending_signoff", "signoff"
            self.answers.setdefault(e.code, []).append(e.at)
            self.percents.setdefault(e.code, []).append((e.at.astimezone(SH).date(), e.percent))
        elif isinstance(e, Dispatch):
            listed = {
                c: m.row.owner not in e.unreachable
                for c, m in self.measures.items()
                if not m.removed and m.status in ANSWERABLE
            }
            if listed:  # nobody to send it to: no dispatch at all
                self.sent.append(Sent(e.at, self.weekday, listed))
        elif isinstance(e, AskExtension):
            m = self.measures[e.code]
            m.request, m.asked_deadline = "extension", e.new_deadline
        elif isinstance(e, Decide):
            self._decide(e)
        elif isinstance(e, LookBack):
            m = self.measures[e.code]
            m.looked_back = True
            if e.rebound and m.status == "closed":
                # the owner's look-back answer is the measure's latest word and health (issue 22,
                # item 6): 反弹 says the problem is back, the owner reporting it at risk (DOMAIN.md,
                # Traffic lights: yellow, red once past its deadline), whatever was said before
                m.status, m.closed_on, m.health = "reopened", None, "at_risk"
        elif isinstance(e, Schedule):
            self.weekday = e.weekday
        elif isinstance(e, Retire):
            m = self.measures[e.code]
            m.removed = m.retired = True

    def _decide(self, e: Decide) -> None:
        m = self.measures[e.code]
        if m.request == "extension":
            if e.approve:
                m.deadline, m.extended = m.asked_deadline, True
        elif e.approve:
            m.status, m.closed_on, m.looked_back = "closed", e.at.astimezone(SH).date(), False
            self.signed_off.append((e.code, m.closed_on))
        else:
            m.status = "in_progress"
        m.request = None

    def _import(self, e: Import) -> None:
        today = e.at.astimezone(SH).date()
        codes = {r.code for r in e.rows}
        if not e.first:
            for code, m in self.measures.items():
                m.removed = m.removed or code not in codes
        for r in e.rows:
            old = self.measures.get(r.code)
            if old is not None and old.retired:
                continue  # retired in chat: the import keeps it out, whatever its row says
            if old is None:
                deadline = today if r.kind == "immediate" else r.deadline
                self.measures[r.code] = Measure(r, deadline, r.status, r.status)
                continue
            was = "immediate" if old.immediate else old.deadline
            now = "immediate" if r.kind == "immediate" else r.deadline
            if was == now:
                pass  # 立行立改 stays due the day it first came in
            elif old.extended:
                # a deadline moved in chat since the last import stays (the preview names it)
                r = replace(r, kind=old.row.kind, deadline=old.row.deadline)
            else:
                old.deadline = today if r.kind == "immediate" else r.deadline
            old.row, old.removed = r, False
            # a status set in chat since the last import that wrote one stays
            if r.status != old.status and old.status == old.imported_status:
                old.status, old.imported_status, old.closed_on = r.status, r.status, None

    # ---- figures ----

    def answered(self, code: str, k: int, by: datetime) -> bool:
        """Whether the k-th dispatch got an answer about the measure before it was next listed."""
        start = self.sent[k].at
        later = [s.at for s in self.sent[k + 1 :] if code in s.items]
        stop = min(later[0], by) if later else by
        return any(start <= t < stop for t in self.answers.get(code, []))

    def silent(self, code: str, by: datetime) -> bool:
        """No answer since the earlier of the last two dispatches that reached its owner in time."""
        reached = [
            k for k, s in enumerate(self.sent) if s.items.get(code) and not s.short and s.at <= by
        ]
        if len(reached) < 2:
            return False
        # any word since the earlier of the two ends the run, even one given after a dispatch
        # that never reached the owner (it answers what the owner was last asked)
        since = self.sent[reached[-2]].at
        return not any(since <= t < by for t in self.answers.get(code, []))

    def light(self, code: str, today: date, by: datetime) -> str | None:
        """red, yellow, green; None when closed (DOMAIN.md, Traffic lights)."""
        m = self.measures[code]
        if m.status == "closed":
            return None
        if self.late(code, today) or m.health == "blocked":
            return "red"
        due = self.due(code)
        near = due is not None and 0 <= (due - today).days <= YELLOW_DAYS
        if (near and m.status != "pending_signoff") or m.health == "at_risk":
            return "yellow"
        if self.silent(code, by):
            return "yellow"
        # forecast lights (issue 29): the owner's pace reaches 100% after the last day in time
        finish = self.forecast(code)
        late = finish is not None and due is not None and finish > due
        return "yellow" if late and m.status != "pending_signoff" else "green"

    def forecast(self, code: str) -> date | None:
        """The working day the owner's percentages reach 100%, by least squares of percent on
        working days: the last answer of each day, since the latest fall, three days at least,
        a rising pace, not yet at 100%, and not past the last answer's day."""
        by_day: dict[date, int] = {}
        for day, percent in self.percents.get(code, []):
            by_day[day] = percent
        points = sorted(by_day.items())
        falls = [i for i in range(1, len(points)) if points[i][1] < points[i - 1][1]]
        points = points[max(falls, default=0) :]
        if len(points) < PACE_ANSWERS or points[-1][1] >= 100:
            return None
        first = points[0][0]
        xs = [sum(is_workday(first + timedelta(days=k)) for k in range(1, (d - first).days + 1))
              for d, _ in points]  # fmt: skip
        ys = [p for _, p in points]
        n = len(points)
        sx, sy = sum(xs), sum(ys)
        sxy, sxx = sum(x * y for x, y in zip(xs, ys, strict=True)), sum(x * x for x in xs)
        if n * sxx - sx * sx == 0:
            return None
        slope = Fraction(n * sxy - sx * sy, n * sxx - sx * sx)
        if slope <= 0:
            return None
        start = (sy - slope * sx) / n
        steps = max(ceil((100 - start) / slope), xs[-1] + 1)
        return None if steps > PACE_HORIZON else add_workdays(first, steps)

    def due(self, code: str) -> date | None:
        m = self.measures[code]
        if m.deadline is None:
            return None
        return m.deadline + timedelta(days=GRACE if m.immediate else 0)

    def late(self, code: str, today: date) -> bool:
        due = self.due(code)
        return self.measures[code].status != "closed" and due is not None and today > due

    def live(self) -> list[str]:
        return sorted(c for c, m in self.measures.items() if not m.removed)

    def counts(self, today: date, by: datetime, codes: Iterable[str] | None = None) -> Counts:
        """Statuses and lights of the live measures (or of some codes)."""
        codes = self.live() if codes is None else list(codes)
        lights = [self.light(c, today, by) for c in codes]
        status = [self.measures[c].status for c in codes]
        return Counts(
            total=len(codes),
            closed=status.count("closed"),
            overdue=sum(self.late(c, today) for c in codes),
            pending=status.count("pending_signoff"),
            long_term=status.count("long_term"),
            red=lights.count("red"),
            yellow=lights.count("yellow"),
            green=lights.count("green"),
        )

    def feedback(self, year: int, month: int, by: datetime) -> dict[str, tuple[int, int]]:
        """反馈率 per lead unit: (answered, delivered) of the dispatches sent in the month."""
        out: dict[str, tuple[int, int]] = {}
        for k, s in enumerate(self.sent):
            local = s.at.astimezone(SH)
            if (local.year, local.month) != (year, month) or s.at > by:
                continue
            for code, arrived in s.items.items():
                if not arrived or self.measures[code].removed:
                    continue  # a measure off the ledger at the month's end is out of its report
                yes = self.answered(code, k, by)
                if s.short and not yes:
                    continue  # no time to answer: counts only where it was answered
                if by < s.answer_by and not yes:
                    continue  # still open when asked: neither answered nor silent yet
                unit = self.measures[code].row.unit
                a, n = out.get(unit, (0, 0))
                out[unit] = (a + yes, n + 1)
        return out

    def closed_in(self, year: int, month: int) -> list[str]:
        """Live measures with a sign-off decision dated in the month.

        DOMAIN.md ("As of", closed in a month): "sign-off decisions dated in it". A closure that
        rebounded later, even within the same month, still counts in its month: nothing there asks
        the measure to be closed still at the month's end.
        """
        live = set(self.live())
        return sorted(
            {c for c, d in self.signed_off if c in live and (d.year, d.month) == (year, month)}
        )


def replay(history: History, until: datetime) -> Replay:
    """The programme with every event before `until`."""
    r = Replay()
    for e in history.events:
        if e.at >= until:
            break
        r.apply(e)
    return r


@dataclass(frozen=True)
class Month:
    """What the monthly report of a month should say, as the month ended."""

    year: int
    month: int
    counts: Counts
    closed_this_month: tuple[str, ...]
    feedback: dict[str, tuple[int, int]]
    cumulative_closed: int  # measures done at month end, imported as done included


def month_end(year: int, month: int) -> datetime:
    """The first moment after the month, Shanghai time."""
    first = date(year + month // 12, month % 12 + 1, 1)
    return datetime.combine(first, time(), SH)


def month(history: History, year: int, month: int) -> Month:
    """The month's figures from the events before its end."""
    end = month_end(year, month)
    r = replay(history, end)
    last_day = (end - timedelta(days=1)).date()
    counts = r.counts(last_day, end)
    return Month(
        year,
        month,
        counts,
        tuple(r.closed_in(year, month)),
        r.feedback(year, month, end),
        counts.closed,
    )


def at_moment(history: History, moment: datetime) -> tuple[Replay, Counts]:
    """The programme and its counts at a moment (events strictly before it)."""
    r = replay(history, moment)
    return r, r.counts(moment.astimezone(SH).date(), moment)
