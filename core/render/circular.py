"""The work circular (工作通报) as a Word document in official style; pure, returns bytes."""

from __future__ import annotations

from typing import Any

from core.domain.circulars import Circular, Mention, Stance
from core.i18n import Tr
from core.render.circular_words import (
    STANCE_HEADINGS,
    circular_number,
    circular_title,
    mention_line,
    place,
    rate,
)
from core.render.digest import headline
from core.render.docx import sentence
from core.render.docx_base import align_right, heading, official_document, para, table, to_bytes


def _ranking(doc: Any, t: Tr, c: Circular) -> None:
    figures = c.picture
    para(
        doc,
        "body",
        t._(
            "Lead units are ranked by their on-time rate, then by their answer rate; units with equal figures share a place, and units with neither figure for the month are listed unranked."
        ),
    )
    header = [
        t._("Rank"),
        t._("Lead unit"),
        t._("On-time rate"),
        t._("Answer rate"),
        t._("Overdue items"),
    ]
    rows = [
        [place(t, r), r.unit.key, rate(t, r.unit.on_time_rate), rate(t, r.unit.answer_rate),
         t.num(r.unit.counts.overdue)]
        for r in figures.ranking
    ]  # fmt: skip
    table(doc, header, rows)


def _mentions(doc: Any, t: Tr, mentions: list[Mention]) -> None:
    for i, m in enumerate(mentions, start=1):
        para(doc, "body", f"{i}. {mention_line(t, m)}")


def _overdue(doc: Any, t: Tr, c: Circular) -> None:
    for i, o in enumerate(c.picture.overdue, start=1):
        m = o.measure
        tail = t.n_(
            "({code}; lead unit {unit}; {n} day overdue)",
            "({code}; lead unit {unit}; {n} days overdue)",
            o.days,
            code=m.code,
            unit=m.lead_unit,
        )
        para(doc, "body", f"{i}. {m.text}{'' if t.locale == 'zh_CN' else ' '}{tail}")
    if not c.picture.overdue:
        para(doc, "body", t._("No measure is overdue."))


def _untrue(doc: Any, t: Tr, c: Circular) -> None:
    for i, f in enumerate(c.picture.untrue, start=1):
        gap = "" if t.locale == "zh_CN" else " "
        said = t._("({code}; lead unit {unit})", code=f.code, unit=f.lead_unit)
        para(doc, "body", f"{i}. {f.text}{gap}{said}{gap}{sentence(f.note)}".rstrip())


def circular_docx(t: Tr, c: Circular) -> bytes:
    """Title, number, preamble, the month's picture, the ranking, commendations, criticism,
    overdue (and spot-check) items, the request, the sender and the date."""
    figures = c.picture
    doc = official_document()
    para(doc, "title", circular_title(t, t.stem(c.programme)))
    para(doc, "note", circular_number(t, c.year, c.number))
    month = t.month(figures.year, figures.month)
    para(
        doc,
        "body",
        t._("The work of the lead units in {month} is reported as follows.", month=month),
    )
    sections: list[tuple[str, Any]] = [
        (t._("Overall progress"), lambda: para(doc, "body", headline(t, figures.counts, figures.as_of))),
        (t._("Ranking of the lead units"), lambda: _ranking(doc, t, c)),
    ]  # fmt: skip
    for stance, mine in ((Stance.COMMEND, c.commended), (Stance.NAME, c.named)):
        if mine:
            sections.append(
                (t._(STANCE_HEADINGS[stance]), lambda mine=mine: _mentions(doc, t, mine))
            )
    sections.append((t._("Overdue items"), lambda: _overdue(doc, t, c)))
    if figures.untrue:  # spot checks (随机抽查) that found the report or evidence untrue
        sections.append((t._("Found untrue in spot checks"), lambda: _untrue(doc, t, c)))
    for n, (title, write) in enumerate(sections, start=1):
        heading(doc, t, 1, n, title)
        write()
    para(
        doc,
        "body",
        t._(
            "Each lead unit is asked to measure itself against this circular, close its gaps and complete its measures on time."
        ),
    )
    for line in (t._("{programme} task force", programme=t.stem(c.programme)), t.date(c.issued_on)):
        align_right(para(doc, "body", line)).paragraph_format.first_line_indent = 0
    return to_bytes(doc)
