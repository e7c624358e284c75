"""The work prompt letter (工作提示函) as a Word document; pure, returns bytes."""

from __future__ import annotations

from core.domain.letters import Letter
from core.i18n import Tr
from core.render.docx_base import align_right, official_document, para, to_bytes
from core.render.letter_words import number_label
from core.render.measures import deadline


def letter_title(t: Tr, programme: str) -> str:
    """The letter's title line."""
    return t._("{programme}: work prompt letter", programme=programme)


def _body(t: Tr, x: Letter) -> str:
    m = x.measure
    text = t._(
        "The measure {code} “{text}”, led by your unit (owner: {owner}), was due on {deadline}.",
        code=m.code,
        text=m.text,
        owner=m.owner,
        deadline=deadline(t, m),
    )
    if x.days_overdue:
        text += t.n_(
            " As of {date} it is {n} day overdue and not yet closed.",
            " As of {date} it is {n} days overdue and not yet closed.",
            x.days_overdue,
            date=t.date(x.issued_on),
        )
    else:
        text += t._(" As of {date} it is reported blocked.", date=t.date(x.issued_on))
    return text


def letter_docx(t: Tr, x: Letter) -> bytes:
    """Title, number, addressee, the facts, the request with its reply date, the sender and date."""
    doc = official_document()
    para(doc, "title", letter_title(t, x.programme))
    para(doc, "note", number_label(t, x.year, x.number))
    para(doc, "h1", t._("To {unit}:", unit=x.measure.lead_unit))
    para(doc, "body", _body(t, x))
    para(
        doc,
        "body",
        t._(
            "Please give it your full attention, speed up the work, and report in writing to the task force by {date}, with evidence, what has been done and when it will be completed.",
            date=t.date(x.reply_by),
        ),
    )
    for line in (t._("{programme} task force", programme=t.stem(x.programme)), t.date(x.issued_on)):
        align_right(para(doc, "body", line))
    return to_bytes(doc)
