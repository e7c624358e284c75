"""Texts and buttons of sign-off requests and their decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.i18n import Tr
from core.render import callbacks
from core.render.limits import MESSAGE_TEXT, fit
from core.render.measures import short
from core.render.plain_keys import Key, Keyboard

TEXT_LIMIT = 600  # the measure's text: enough to recognise it, the report carries the rest


@dataclass(frozen=True)
class Request:
    """What a coordinator reads before deciding."""

    code: str
    text: str
    owner: str
    unit: str
    deadline: date | None
    asked: datetime  # in the programme's time zone
    report: str
    files: int
    extension: date | None = None  # the deadline asked for, for an extension request
    original: date | None = None  # the deadline first set, when already extended
    # (file name, codes): a file of this request already used as evidence for other measures
    reused: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Verdict:
    """A decision as every copy shows it."""

    approved: bool
    by: str
    at: datetime  # in the programme's time zone
    reason: str = ""
    extension: bool = False


def request_text(t: Tr, r: Request, verdict: Verdict | None = None) -> str:
    """The request as a coordinator's copy shows it, with the decision once there is one."""
    if r.extension is not None:
        return _extension_text(t, r, verdict)
    lines = [
        t._("🏁 Sign-off request for {code}", code=r.code),
        short(r.text, TEXT_LIMIT),
        t._("Owner: {owner} ({unit})", owner=r.owner, unit=r.unit),
        t._("Deadline: {date}", date=t.date(r.deadline)),
        t._("Asked on: {when}", when=t.datetime(r.asked, r.asked.date())),
        t._("Completion report: {report}", report=r.report),
        t.n_("Evidence: {n} file", "Evidence: {n} files", r.files),
    ]
    lines += [
        t._("⚠️ This evidence was already used for {codes}: {name}", codes=t.join(c), name=name)
        for name, c in r.reused
    ]
    tail = "\n\n" + verdict_line(t, verdict) if verdict else ""
    return fit("\n".join(lines), MESSAGE_TEXT[1] - len(tail) - 1) + tail


def _extension_text(t: Tr, r: Request, verdict: Verdict | None) -> str:
    assert r.extension is not None
    lines = [
        t._("📅 Deadline extension request for {code}", code=r.code),
        short(r.text, TEXT_LIMIT),
        t._("Owner: {owner} ({unit})", owner=r.owner, unit=r.unit),
        t._("Deadline: {date}", date=t.date(r.deadline)),
    ]
    if r.original is not None and r.original != r.deadline:
        lines.append(t._("First deadline: {date}", date=t.date(r.original)))
    lines += [
        t._("New deadline asked for: {date}", date=t.date(r.extension)),
        t._("Asked on: {when}", when=t.datetime(r.asked, r.asked.date())),
        t._("Reason: {reason}", reason=r.report),
    ]
    tail = "\n\n" + verdict_line(t, verdict) if verdict else ""
    return fit("\n".join(lines), MESSAGE_TEXT[1] - len(tail) - 1) + tail


def verdict_line(t: Tr, v: Verdict) -> str:
    """✅ Signed off by … at … / ↩️ Sent back by … at …: reason."""
    if v.extension:
        if v.approved:
            return t._(
                "✅ Extension approved by {who} at {when}.",
                who=v.by,
                when=t.datetime(v.at, v.at.date()),
            )
        return t._(
            "✖️ Extension refused by {who} at {when}. Reason: {reason}",
            who=v.by,
            when=t.datetime(v.at, v.at.date()),
            reason=v.reason,
        )
    if v.approved:
        return t._(
            "✅ Signed off by {who} at {when}.", who=v.by, when=t.datetime(v.at, v.at.date())
        )
    return t._(
        "↩️ Sent back by {who} at {when}. Reason: {reason}",
        who=v.by,
        when=t.datetime(v.at, v.at.date()),
        reason=v.reason,
    )


def already(t: Tr, v: Verdict) -> str:
    """The answer to a press after someone decided."""
    return t._("Already decided by {who} at {when}.", who=v.by, when=t.datetime(v.at, v.at.date()))


def decide_keyboard(t: Tr, request_id: int, *, extension: bool = False) -> Keyboard:
    """Approve · Send back (or Refuse, for an extension)."""
    yes = t._("✅ Approve the extension") if extension else t._("✅ Approve")
    no = t._("✖️ Refuse") if extension else t._("↩️ Send back")
    return Keyboard(
        [
            [
                Key(yes, callback_data=callbacks.Decide(request_id, "ok").pack()),
                Key(no, callback_data=callbacks.Decide(request_id, "back").pack()),
            ]
        ]
    )


def waiting_head(t: Tr, signoffs: int, extensions: int) -> str:
    """/pending's head: how many requests of each kind wait (共1项销号申请、1项延期申请待审核)."""
    if not extensions:
        return t.n_(
            "{n} sign-off request is waiting, oldest first:",
            "{n} sign-off requests are waiting, oldest first:",
            signoffs,
        )
    if not signoffs:
        return t.n_(
            "{n} extension request is waiting, oldest first:",
            "{n} extension requests are waiting, oldest first:",
            extensions,
        )
    return t._(
        "{signoffs} and {extensions} are waiting, oldest first:",
        signoffs=t.n_("{n} sign-off request", "{n} sign-off requests", signoffs),
        extensions=t.n_("{n} extension request", "{n} extension requests", extensions),
    )
