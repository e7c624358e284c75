"""The leaders' board as JSON for its page: the chat's own sentences, labels in the reader's words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.domain.counts import Counts, Group
from core.domain.filters import Kind
from core.domain.model import Light, MeasureFacts
from core.domain.outcomes import Outcome
from core.domain.report import Summary
from core.i18n import N_, Tr
from core.render import labels
from core.render.digest import area_lines, headline, lights, owner_headline, scope
from core.render.measures import answer, deadline, line

LIT = (
    (Light.RED, "red", N_("{icon} {n} red")),
    (Light.YELLOW, "yellow", N_("{icon} {n} yellow")),
    (Light.GREEN, "green", N_("{icon} {n} green")),
)


@dataclass(frozen=True)
class File:
    """An evidence file as the board lists it."""

    name: str
    at: datetime  # in the programme's time zone
    size: int | None


@dataclass(frozen=True)
class Asked:
    """A sign-off or extension request of the measure, as it stands."""

    extension: bool
    state: str  # pending | approved | rejected | withdrawn
    at: datetime
    deadline: date | None
    by: str
    decided: datetime | None
    reason: str


def strings(t: Tr) -> dict[str, str]:
    """The page's own labels in the reader's language."""
    return {
        "board": t._("Board"),
        "units": t._("Units"),
        "trend": t._("Trend"),
        "pending": t._("Awaiting sign-off"),
        "all": t._("All"),
        "by_area": t._("By area:"),
        "by_unit": t._("By lead unit"),
        "red_items": t._("Red items:"),
        "yellow_items": t._("Yellow items:"),
        "history": t._("History"),
        "latest": t._("Latest words"),
        "evidence": t._("Evidence"),
        "requests": t._("Sign-off and extension"),
        "no_files": t._("No evidence yet."),
        "none": t._("None."),
        "on_time": t._("On-time rate"),
        "feedback": t._("Feedback rate"),
        "overdue": t._("Overdue"),
        "approve": t._("Approve"),
        "send_back": t._("Send back"),
        "reason": t._("Why is it sent back? The owner will read it."),
        "nothing_waiting": t._("No sign-off requests are waiting."),
        "closed": t._("Closed"),
        "red": t._(labels.LIGHT[Light.RED]),
        "yellow": t._(labels.LIGHT[Light.YELLOW]),
        "back": t._("Back"),
        "outcomes": t._("Rules made or revised (institutional outcomes)"),
        "failed": t._("The board could not be loaded. Please open it again from the chat."),
    }


def _lit(t: Tr, c: Counts) -> dict[str, Any]:
    """The counts of a tile, and its lit lights in words (🔴红灯2项、🟡黄灯1项)."""
    shown = [
        t._(text, icon=labels.LIGHT_ICON[lit], n=t.num(getattr(c, key)))
        for lit, key, text in LIT
        if getattr(c, key)
    ]
    return {
        "total": c.total, "closed": c.closed, "overdue": c.overdue, "pending": c.pending,
        "red": c.red, "yellow": c.yellow, "green": c.green, "lights": t.series(shown),
    }  # fmt: skip


def _item(t: Tr, m: MeasureFacts, ids: Mapping[str, int], today: date) -> dict[str, Any]:
    return {
        "id": ids.get(m.code),
        "code": m.code,
        "line": line(t, m, today, owner=True),
        "answer": answer(t, m.latest).strip() if m.latest is not None else None,
    }


def board(
    t: Tr,
    s: Summary,
    programme: str,
    units: Sequence[Group],
    ids: Mapping[str, int],
    *,
    owner_view: bool,
) -> dict[str, Any]:
    """The board: the /summary headline and lights, tiles by area and by lead unit, items."""
    head = owner_headline if owner_view else headline
    return {
        "programme": programme,
        "as_of": t.day_month(s.as_of),
        "filter": None if s.where.kind is Kind.ALL else scope(t, s.where),
        "headline": head(t, s.counts, s.as_of),
        "lights": lights(t, s.counts),
        "counts": _lit(t, s.counts),
        "areas": [
            {"number": g.number, "name": g.key, "label": label, **_lit(t, g.counts)}
            for g, label in zip(s.areas, area_lines(t, s.areas), strict=True)
        ],
        "units": [{"name": g.key, **_lit(t, g.counts)} for g in units],
        "red": [_item(t, m, ids, s.as_of) for m in s.red],
        "yellow": [_item(t, m, ids, s.as_of) for m in s.yellow],
        "more_red": _more(t, s.counts.red - len(s.red)),
        "more_yellow": _more(t, s.counts.yellow - len(s.yellow)),
    }


def rule(t: Tr, o: Outcome) -> dict[str, str]:
    """One institutional outcome (建章立制) of a measure: 《…办法》（…〔2024〕12号，2024年3月15日印发）."""
    text = t._(
        "{title} ({number}, issued {date})",
        title=o.title,
        number=o.number,
        date=t.date(o.issued_on),
    )
    return {"title": o.title, "number": o.number, "date": t.date(o.issued_on), "text": text}


def _more(t: Tr, n: int) -> str | None:
    return t._("… and {n} more.", n=n) if n > 0 else None


def _size(t: Tr, size: int | None) -> str:
    if size is None:
        return ""
    if size < 1024 * 1024:
        return t._("{n} KB", n=t.num(max(1, round(size / 1024))))
    return t._("{n} MB", n=t.num(round(size / 1024 / 1024, 1)))


def _request(t: Tr, r: Asked, today: date) -> str:
    asked, new = t.datetime(r.at, today), t.date(r.deadline)
    decided = t.datetime(r.decided, today) if r.decided else ""
    if r.state == "withdrawn":
        return t._("Request of {when} withdrawn: the ledger changed.", when=asked)
    if r.extension:
        if r.state == "approved":
            return t._(
                "Extension to {date} approved by {who}, {when}.", date=new, who=r.by, when=decided
            )
        if r.state == "rejected":
            return t._(
                "Extension to {date} refused by {who}, {when}: {reason}",
                date=new,
                who=r.by,
                when=decided,
                reason=r.reason,
            )
        return t._(
            "Extension to {date} asked for on {when}; awaiting a decision.", date=new, when=asked
        )
    if r.state == "approved":
        return t._("Signed off by {who}, {when}.", who=r.by, when=decided)
    if r.state == "rejected":
        return t._("Sent back by {who}, {when}: {reason}", who=r.by, when=decided, reason=r.reason)
    return t._("Sign-off asked for on {when}; awaiting a decision.", when=asked)


def measure(
    t: Tr,
    m: MeasureFacts,
    lit: Light | None,
    history: Sequence[str],
    files: Sequence[File],
    asked: Sequence[Asked],
    today: date,
) -> dict[str, Any]:
    """One measure's story: facts, history as /history tells it, latest words, files, requests."""
    return {
        "code": m.code,
        "text": m.text,
        "area": m.area,
        "problem": m.problem,
        "owner": m.owner,
        "unit": m.lead_unit,
        "leader": m.leader,
        "deadline": deadline(t, m, today),
        "original": t.date(m.original_deadline) if m.original_deadline else None,
        "status": labels.status(t, m.status),
        "health": labels.health(t, m.health) if m.health is not None and lit else None,
        "light": lit.value if lit else "closed",
        "line": line(t, m, today, owner=True),
        "history": list(history),
        "latest": answer(t, m.latest).strip() if m.latest is not None else None,
        "evidence": [
            {"name": f.name, "date": t.datetime(f.at, today), "size": _size(t, f.size)}
            for f in files
        ],
        "requests": [_request(t, r, today) for r in asked],
        "labels": {
            "deadline": t._(labels.COLUMN["deadline"]),
            "original": t._(labels.COLUMN["original"]),
            "status": t._(labels.COLUMN["status"]),
            "owner": t._(labels.COLUMN["owner"]),
            "unit": t._(labels.COLUMN["lead_unit"]),
        },
    }


def unit(t: Tr, g: Group) -> dict[str, Any]:
    """A lead unit's row: on-time rate, this month's 反馈率, overdue count ("—" when none)."""
    return {
        "name": g.key,
        "on_time": "—" if g.on_time_rate is None else t.pct(g.on_time_rate),
        "feedback": "—" if g.answer_rate is None else t.pct(g.answer_rate),
        "overdue": g.counts.overdue,
        "total": g.counts.total,
        "red": g.counts.red,
    }


def trend(t: Tr, weeks: Sequence[tuple[date, date, int, Counts]], today: date) -> dict[str, Any]:
    """Closed, red and yellow per week, oldest first."""
    return {
        "weeks": [
            {"label": t.week(monday, today), "closed": closed, "red": c.red, "yellow": c.yellow}
            for monday, _, closed, c in weeks
        ]
    }
