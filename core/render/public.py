"""群众监督: what the sender, the task force and an owner read about a 监督意见."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.domain.public import MAX_PHOTOS, MAX_TEXT, PER_DAY, PublicTally
from core.i18n import Tr
from core.render.callbacks_public import PublicAct, PublicArea, PublicStep
from core.render.limits import fit
from core.render.plain_keys import Key, Keyboard

LABEL = 32  # characters of an area's name on a button
ABOUT = 40  # characters of a measure's text after its code


@dataclass(frozen=True)
class ItemView:
    """What the task force reads of an item: never the sender's account, their name if agreed."""

    number: int
    received: date
    text: str
    photos: int
    code: str | None = None
    measure: str | None = None
    area: str | None = None
    name: str | None = None


def intro(t: Tr, programme: str) -> str:
    """The first answer to the public link: what to send, and that the name stays hidden."""
    return t._(
        "You are writing to the task force of {programme} (public supervision). Please send "
        "your comment as text, at most {n} characters; you can add up to {photos} photos after "
        "it. The task force does not see your name or username unless you agree at the end. "
        "/cancel leaves without sending.",
        programme=t.stem(programme),
        n=t.num(MAX_TEXT),
        photos=t.num(MAX_PHOTOS),
    )


def next_keyboard(t: Tr) -> Keyboard:
    """Photos done (or none)."""
    return Keyboard([[Key(t._("Next"), callback_data=PublicStep("next").pack())]])


def ask_photos(t: Tr) -> str:
    """The text is noted: photos may follow."""
    return t._(
        "Noted. You can now send up to {n} photos; when you have none or are done, press Next.",
        n=t.num(MAX_PHOTOS),
    )


def photo_taken(t: Tr, count: int) -> str:
    """A photo was added to the item."""
    return t._(
        "Photo {k} of at most {n} received. Send another, or press Next.",
        k=t.num(count),
        n=t.num(MAX_PHOTOS),
    )


def refusal(t: Tr, why: str, **fields: int) -> str:
    """Why a message of the sender was not taken, and what to do."""
    n = {
        "too_long": t._(
            "That is too long: {got} characters, at most {n}. Please shorten it and send it again.",
            got=t.num(fields.get("got", 0)),
            n=t.num(MAX_TEXT),
        ),
        "empty": t._("Please send your comment as text."),
        "photos": t._(
            "At most {n} photos can go with one comment; this one was not added. Press Next to go on.",
            n=t.num(MAX_PHOTOS),
        ),
        "file": t._("Please send pictures as photos: files are not accepted here."),
        "text_first": t._("Please send the text of your comment first; photos can follow it."),
        "text_again": t._("Your text is noted. Send photos, or press Next."),
        "buttons": t._("Please choose with the buttons above."),
        "limit": t._(
            "You have already sent {n} comments today, the most one person may send in a day. "
            "Please write again tomorrow.",
            n=t.num(PER_DAY),
        ),
        "no_programme": t._(
            "This link does not say which programme it is for. Please open the link the task "
            "force published."
        ),
        "flood": t._(
            "Too many messages that fit no step: this comment was not sent. To write again, "
            "open the link again."
        ),
    }
    return n[why]


def about_keyboard(t: Tr, areas: Sequence[tuple[int, str]]) -> Keyboard:
    """One button per area, and 不指定."""
    rows = [[Key(fit(name, LABEL), callback_data=PublicArea(aid).pack())]
            for aid, name in areas]  # fmt: skip
    rows.append([Key(t._("Not specified"), callback_data=PublicStep("none").pack())])
    return Keyboard(rows)


def ask_about(t: Tr) -> str:
    """Which area or measure the item is about."""
    return t._(
        "Which area or measure is it about? Press an area, or send a measure's code (for "
        "example 1.2.3). If you are not sure, press Not specified."
    )


def unknown_about(t: Tr, typed: str) -> str:
    """A typed code or area that the ledger does not have."""
    return t._(
        "There is no measure or area “{typed}”. Press an area, send a measure's code, or "
        "press Not specified.",
        typed=fit(typed, LABEL),
    )


def name_keyboard(t: Tr) -> Keyboard:
    """Send unnamed (the default) or named."""
    return Keyboard(
        [
            [Key(t._("Send without my name"), callback_data=PublicStep("anon").pack())],
            [Key(t._("Send with my name"), callback_data=PublicStep("named").pack())],
        ]
    )  # fmt: skip


def ask_name(t: Tr) -> str:
    """The last step: whether the task force sees the sender's name."""
    return t._(
        "Last step: should the task force see your name? By default it does not, and sees "
        "your comment only."
    )


def received(t: Tr, number: int, programme: str) -> str:
    """The sender's receipt."""
    return t._(
        "Received as public comment No. {number}. The task force of {programme} will look "
        "into it, and its answer will come to you in this chat.",
        number=number,
        programme=t.stem(programme),
    )


def cancelled(t: Tr) -> str:
    """The sender left without sending."""
    return t._("Not sent. To write again, open the link again.")


def item_text(t: Tr, v: ItemView, today: date) -> str:
    """The item as the task force reads it."""
    if v.code is not None:
        about = f"{v.code} {fit(' '.join((v.measure or '').split()), ABOUT)}"
    else:
        about = v.area or t._("not specified")
    lines = [
        t._(
            "📮 Public comment No. {number}, received {date}",
            number=v.number,
            date=t.when(v.received, today),
        ),
        t._("About: {about}", about=about),
        t._("From: {name}", name=v.name) if v.name else t._("From: anonymous"),
        "",
        v.text,
    ]
    if v.photos:
        lines += ["", t.n_("{n} photo, above.", "{n} photos, above.", v.photos)]
    return "\n".join(lines)


def desk_keyboard(t: Tr, item_id: int) -> Keyboard:
    """受理, 转办, 答复."""
    acts = [("accept", t._("Accept")), ("forward", t._("Forward")), ("answer", t._("Answer"))]
    return Keyboard(
        [[Key(label, callback_data=PublicAct(item_id, act).pack())
          for act, label in acts]]
    )  # fmt: skip


def forwarded_text(t: Tr, v: ItemView, today: date) -> str:
    """What an owner reads of an item the task force forwards to them."""
    return "\n".join(
        [
            t._(
                "📮 The task force forwards public comment No. {number} about {code}. Please "
                "look into it and report to the task force.",
                number=v.number,
                code=v.code or "",
            ),
            "",
            item_text(t, v, today),
        ]
    )


def answer_text(t: Tr, number: int, programme: str, answer: str) -> str:
    """The task force's answer, as the sender reads it."""
    return t._(
        "The task force of {programme} answers your public comment No. {number}:\n{answer}",
        programme=t.stem(programme),
        number=number,
        answer=answer,
    )


def accepted_notice(t: Tr, number: int, programme: str) -> str:
    """The sender is told their item was accepted."""
    return t._(
        "Your public comment No. {number} has been accepted by the task force of {programme}.",
        number=number,
        programme=t.stem(programme),
    )


def review_lines(t: Tr, late: Sequence[tuple[int, date]], today: date) -> list[str]:
    """The review's block: items unanswered after 5 working days."""
    if not late:
        return []
    items = t.join(
        t._("No. {number} (received {date})", number=n, date=t.when(d, today)) for n, d in late
    )
    return ["", t._("Public comments unanswered after 5 working days: {items}", items=items)]


def report_lines(t: Tr, tally: PublicTally) -> list[str]:
    """The monthly report's block: received, answered, open."""
    if not (tally.received or tally.open):
        return []
    return ["", tally_sentence(t, tally, month=True)]


def tally_sentence(t: Tr, tally: PublicTally, *, month: bool) -> str:
    """Received and answered in the period, open at its end."""
    if month:
        return t.n_(
            "Public comments this month: {n} received, {answered} answered; {open} open at "
            "the month's end.",
            "Public comments this month: {n} received, {answered} answered; {open} open at "
            "the month's end.",
            tally.received,
            answered=t.num(tally.answered),
            open=t.num(tally.open),
        )
    return t.n_(
        "Public comments during the period: {n} received, {answered} answered; {open} open "
        "at its end.",
        "Public comments during the period: {n} received, {answered} answered; {open} open "
        "at its end.",
        tally.received,
        answered=t.num(tally.answered),
        open=t.num(tally.open),
    )
