"""The /edit form, its prompts and answers, and what owners are told of an edit."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from core.domain.ledger_edit import ADD_FIELDS, FIELDS, Read, Refusal
from core.i18n import N_, Tr
from core.render.ledger_changes import FIELD, change_line, change_parts
from core.render.measures import short

PROMPT = {
    "text": N_("Send the text of the measure."),
    "area": N_("Send the area the measure belongs to: an existing one by its name, or a new one."),
    "problem": N_("Send the problem within that area: an existing one by its name, or a new one."),
    "lead_unit": N_("Send the name of the lead unit."),
    "co_units": N_("Send the co-units, separated by commas, or “none”."),
    "owner": N_("Send the owner's name as the ledger writes it."),
    "deadline": N_("Send the deadline, for example 2024-12-31, or “long-term”."),
}


def shown(t: Tr, field: str, value: str) -> str:
    """A field's value as the form shows it."""
    if field == "deadline":
        return t.date(date.fromisoformat(value)) if value else t._("long-term")
    return short(value, 60) if value else "—"


def label(t: Tr, field: str) -> str:
    """A field's name, as the import preview writes it."""
    return t._(FIELD[field])


def form_text(
    t: Tr,
    code: str,
    now: Mapping[str, str],
    wanted: Mapping[str, str],
    *,
    adding: bool,
) -> str:
    """The form: each field as it is (or will be), then what the draft changes."""
    fields = ADD_FIELDS if adding else FIELDS
    head = t._("New measure {code}", code=code) if adding else t._("Edit measure {code}", code=code)
    lines = [head]
    for f in fields:
        value = wanted.get(f, now.get(f))
        lines.append(
            t._("{field}: {value}", field=label(t, f), value=shown(t, f, value))
            if value is not None
            else t._("{field}: not given yet", field=label(t, f))
        )
    pending = {
        f: (now.get(f, ""), wanted[f]) for f in fields if wanted.get(f, now.get(f)) != now.get(f)
    }
    if adding:
        lines.append(t._("Fill in every field but the co-units, then press Save."))
    elif pending:
        lines.append(t._("Not saved yet: {changes}", changes=change_parts(t, pending)))
        lines.append(t._("Press Save to record the change, or change another field."))
    else:
        lines.append(t._("Choose what to change."))
    return "\n".join(lines)


def prompt(t: Tr, field: str) -> str:
    """What to send for a field, and how to leave."""
    return t._("{prompt} /cancel leaves without saving.", prompt=t._(PROMPT[field]))


def refusal(t: Tr, field: str, read: Read) -> str:
    """Why a typed value was not taken, and what to send instead."""
    if read.refusal is Refusal.BAD_DATE:
        return t._(
            "That is not a date the ledger can hold. Send a real date from 2000 to 2099, for example 2024-12-31, or “long-term”."
        )
    if read.refusal is Refusal.IMMEDIATE:
        return t._(
            "An immediate deadline is set by importing the ledger. In chat, send the date it is due, for example 2024-12-31."
        )
    if read.refusal is Refusal.TOO_LONG:
        return t._("That is too long: at most {n} characters, please.", n=t.num(read.limit))
    return t._(PROMPT.get(field, N_("Please describe it in a few words.")))


def retire_text(t: Tr, code: str, text: str, reason: str) -> str:
    """The confirm screen of a retirement."""
    return "\n".join(
        [
            t._("Retire measure {code} {text}", code=code, text=short(text)),
            t._("Reason for retiring it: {reason}", reason=reason),
            t._(
                "From today it leaves the ledger's figures, the dispatches and the reports; its history is kept and past reports do not change."
            ),
        ]
    )


def changed_notice(t: Tr, programme: str, code: str, fields: Mapping[str, tuple[str, str]]) -> str:
    """To an owner (and a former owner): what the task force changed in chat."""
    head = t._(
        "The task force changed a measure in the ledger of {programme}:", programme=programme
    )
    return head + "\n• " + change_line(t, code, fields)


def retired_notice(t: Tr, programme: str, code: str, text: str, reason: str) -> str:
    """To the owner: their measure left the ledger."""
    return t._(
        "The task force retired measure {code} {text} from the ledger of {programme}: {reason}. It is no longer in your weekly dispatch.",
        code=code,
        text=short(text),
        programme=programme,
        reason=reason,
    )


def added_notice(t: Tr, programme: str, code: str, text: str, deadline: str) -> str:
    """To the owner: a new measure of theirs."""
    return t._(
        "The task force added measure {code} {text} to the ledger of {programme}, with you as its owner. Deadline: {date}. It will be in your weekly dispatch.",
        code=code,
        text=short(text),
        programme=programme,
        date=shown(t, "deadline", deadline),
    )
