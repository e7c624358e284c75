"""建章立制 in the monthly, half-year and progress reports: how many rules, and which; pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from core.domain.outcomes import Outcome, by_area, in_month
from core.domain.report import MonthlyReport
from core.i18n import Tr
from core.render.docx_base import heading, para


def count_line(
    t: Tr, outcomes: Sequence[Outcome], as_of: date, recent: int, *, halfyear: bool = False
) -> str:
    """截至9月底，制定优化迭代制度42个，其中本月3个。(the report's, and the board's)"""
    n, when = len(outcomes), t.as_of(as_of)
    if n == 0:
        return t._("As of {when}, no institutional outcome has been recorded.", when=when)
    if halfyear:
        return t.n_(
            "As of {when}, {n} rule had been made or revised, {recent} of them during the period.",
            "As of {when}, {n} rules had been made or revised, {recent} of them during the period.",
            n,
            when=when,
            recent=t.num(recent),
        )
    return t.n_(
        "As of {when}, {n} rule had been made or revised, {recent} of them this month.",
        "As of {when}, {n} rules had been made or revised, {recent} of them this month.",
        n,
        when=when,
        recent=t.num(recent),
    )


def line(t: Tr, o: Outcome) -> str:
    """《…办法》（高新党工委发〔2024〕12号，2024年3月15日印发；整改措施1.2.3）"""
    return t._(
        "{title} ({number}, issued {date}; measure {code})",
        title=o.title,
        number=o.number,
        date=t.date(o.issued_on),
        code=o.code,
    )


def made(t: Tr, outcomes: Sequence[Outcome], when: str) -> str:
    """The published report's sentence: 截至2024年9月底，制定优化迭代制度2个：《…》（…）和《…》（…）。"""
    return t.n_(
        "As of {when}, {n} rule has been made or revised: {rules}.",
        "As of {when}, {n} rules have been made or revised: {rules}.",
        len(outcomes),
        when=when,
        rules=t.join(line(t, o) for o in outcomes),
    )


def outcomes_section(doc: Any, t: Tr, r: MonthlyReport, number: int, *, months: int = 1) -> None:
    """一、建章立制: the count, then （一） per area and 1. per rule; `months` the period's length."""
    heading(doc, t, 1, number, t._("Institutional outcomes"))
    ends = [(r.year * 12 + r.month - 1 - k) for k in range(months)]
    recent = sum(in_month(r.outcomes, k // 12, k % 12 + 1) for k in ends)
    para(doc, "body", count_line(t, r.outcomes, r.as_of, recent, halfyear=months > 1))
    for i, (area, items) in enumerate(by_area(r.outcomes), start=1):
        heading(doc, t, 2, i, area)
        for j, o in enumerate(items, start=1):
            para(doc, "body", f"{j}. {line(t, o)}")
