"""The half-year continuing-rectification report (持续整改情况报告) as a Word document; pure."""

from __future__ import annotations

from collections.abc import Sequence

from core.domain.closing import LookBackTally
from core.domain.documents import Record
from core.domain.halfyear import MONTHS, HalfYear
from core.domain.public import PublicTally
from core.domain.spotcheck import SpotTally
from core.i18n import Tr
from core.render.digest import headline
from core.render.docx import item, next_steps, progress
from core.render.docx_base import heading, official_document, para, picture, to_bytes
from core.render.docx_outcomes import outcomes_section
from core.render.public import tally_sentence
from core.render.spotcheck import tally_lines


def halfyear_title(t: Tr, programme: str) -> str:
    """关于…持续整改情况的报告 / Continuing rectification report on …."""
    if t.locale == "zh_CN":
        programme = programme.removesuffix("整改")
    return t._("Continuing rectification report on {programme}", programme=programme)


def halfyear_docx(
    t: Tr,
    h: HalfYear,
    rows: Sequence[Record],
    programme: str,
    chart: bytes | None = None,
    lookbacks: LookBackTally | None = None,
    comments: PublicTally | None = None,
    spot: SpotTally | None = None,
) -> bytes:
    """Progress over the period, what was closed when, what remains and why, look-backs, next steps."""
    end = h.end
    doc = official_document()
    para(doc, "title", halfyear_title(t, programme))
    span = t._(
        "({start} to {end})",
        start=t.month(h.start.year, h.start.month),
        end=t.month(end.year, end.month),
    )
    para(doc, "note", span)
    para(doc, "body", headline(t, end.counts, end.as_of))
    heading(doc, t, 1, 1, t._("Overall progress"))
    para(
        doc,
        "body",
        t.n_(
            "At the start of the period {opened} of {n} measure was complete; at its end {closed}; {period} were closed during the period.",
            "At the start of the period {opened} of {n} measures were complete; at its end {closed}; {period} were closed during the period.",
            end.counts.total,
            opened=t.num(h.opening.closed),
            closed=t.num(end.counts.closed),
            period=t.num(sum(len(c) for c in h.closed)),
        ),
    )
    if comments is not None and (comments.received or comments.open):  # 群众监督
        para(doc, "body", tally_sentence(t, comments, month=False))
    if chart is not None:
        picture(doc, chart)
    heading(doc, t, 1, 2, t._("Closed month by month"))
    for month, closed in zip(h.months, h.closed, strict=True):
        when = t.month(month.year, month.month)
        if closed:
            codes = t.join(m.code for m in closed)
            text = t.n_(
                "{month}: {n} measure closed ({codes}).",
                "{month}: {n} measures closed ({codes}).",
                len(closed),
                month=when,
                codes=codes,
            )
        else:
            text = t._("{month}: none closed.", month=when)
        para(doc, "body", text)
    heading(doc, t, 1, 3, t._("What remains and why"))
    by_code = {r.facts.code: r for r in rows}
    for i, m in enumerate(h.remaining, start=1):
        rec = by_code.get(m.code, Record(m))
        para(doc, "body", item(t, i, rec, progress(t, rec, end)))
    if not h.remaining:
        para(doc, "body", t._("Every measure is complete."))
    heading(doc, t, 1, 4, t._("Look-back results"))
    for text in [*_lookbacks(t, lookbacks), *tally_lines(t, spot)]:
        para(doc, "body", text)
    outcomes_section(doc, t, end, 5, months=MONTHS)
    next_steps(doc, t, rows, 6)
    return to_bytes(doc)


def _lookbacks(t: Tr, tally: LookBackTally | None) -> list[str]:
    """The look-backs answered in the period, or a place for the task force to write them."""
    if tally is None or not tally.done:
        return [t._("[The task force writes the look-back results here.]")]
    done = t.n_(
        "During the period {n} look-back was done: {holding} held and {rebounded} rebounded.",
        "During the period {n} look-backs were done: {holding} held and {rebounded} rebounded.",
        tally.done,
        holding=t.num(tally.holding),
        rebounded=t.num(len(tally.rebounded)),
    )
    if not tally.rebounded:
        return [done]
    return [done, t._("Rebounded and reopened: {codes}.", codes=t.join(tally.rebounded))]
