"""The half-year continuing-rectification report: period, closures by month, what remains."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import docx
from conftest import SH, Bot
from documents_support import sample_records
from rhythm_support import LEADER, seed

from core.domain.halfyear import HalfYear, first_month, halfyear
from core.domain.model import Status
from core.domain.report import month_end
from core.i18n import tr
from core.render.docx_halfyear import halfyear_docx


def _spread() -> list:  # type: ignore[type-arg]
    """The sample with its 35 closures spread over April–October (October's do not count)."""
    rows = sample_records()
    out, i = [], 0
    for r in rows:
        if r.facts.status is Status.CLOSED:
            month = 4 + i % 7  # 4..10
            r = replace(r, facts=replace(r.facts, closed_on=date(2024, month, 10)))
            i += 1
        out.append(r)
    return out


def _halfyear(rows: list) -> HalfYear:  # type: ignore[type-arg]
    """The half-year to September from records as they stood at its end (October undone)."""
    sep = date(2024, 9, 30)
    offs = [(r.facts.code, r.facts.closed_on) for r in rows if r.facts.closed_on]
    end = [
        replace(r.facts, status=Status.IN_PROGRESS, closed_on=None)
        if r.facts.closed_on and r.facts.closed_on > sep
        else r.facts
        for r in rows
    ]
    opening = [
        replace(f, status=Status.IN_PROGRESS, closed_on=None) if f.closed_on else f for f in end
    ]
    ends = {(2024, m): sum(1 for _, d in offs if d <= month_end(2024, m)) for m in range(4, 10)}
    return halfyear(end, opening, [(c, d) for c, d in offs if d <= sep], ends, 2024, 9)


def test_first_month_crosses_the_year() -> None:
    assert first_month(2024, 9) == (2024, 4)
    assert first_month(2024, 3) == (2023, 10)


def test_halfyear_counts_and_docx() -> None:
    rows = _spread()
    h = _halfyear(rows)
    assert [m.total for m in h.months] == [5, 10, 15, 20, 25, 30]
    assert h.start == date(2024, 4, 1)
    assert [len(c) for c in h.closed] == [5, 5, 5, 5, 5, 5]
    assert h.opening.closed == 0 and h.end.counts.closed == 30
    assert len(h.remaining) == 12  # 7 open, and 5 closed only in October
    paras = [
        p.text
        for p in docx.Document(
            io.BytesIO(halfyear_docx(tr("zh_CN"), h, rows, "巡视整改"))
        ).paragraphs
    ]
    assert paras[:2] == ["关于巡视持续整改情况的报告", "（2024年4月—2024年9月）"]
    # closures made only in October count as open, and those past their deadline as overdue
    assert (
        paras[2] == "截至9月底，42项整改措施已完成30项，其余12项中，9项正在按时序推进，3项已逾期。"
    )
    late = {o.measure.code for o in h.end.overdue}
    assert len(late) == 3 and {m.code for m in h.remaining[:3]} == late
    assert "期初，42项整改措施已完成0项；期末已完成30项，本期完成销号30项。" in paras
    assert sum(p.startswith("2024年") and "完成销号5项" in p for p in paras) == 6
    remain = paras.index("三、尚未完成事项及原因")
    assert paras[remain + 12].startswith("12. ") and paras[remain + 13] == "四、“回头看”情况"
    en = [
        p.text for p in docx.Document(io.BytesIO(halfyear_docx(tr("en"), h, rows, "P"))).paragraphs
    ]
    assert en[:2] == ["Continuing rectification report on P", "(April 2024 to September 2024)"]


async def test_export_halfyear_in_private(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    reply = await bot.say(LEADER, "/export halfyear")
    assert reply.method == "sendDocument"
    assert reply.filename == "P持续整改情况报告（2024年4月—2024年9月）.docx"
    assert reply.document is not None
    paras = [p.text for p in docx.Document(io.BytesIO(reply.document)).paragraphs]
    assert paras[0] == "关于P持续整改情况的报告"


def test_halfyear_reports_the_recorded_look_backs() -> None:
    from core.domain.closing import tally

    rows = _spread()
    h = _halfyear(rows)
    done = tally([("1.3.2", "rebound"), ("1.3.3", "holds")])
    data = halfyear_docx(tr("zh_CN"), h, rows, "巡视整改", None, done)
    paras = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    at = paras.index("四、“回头看”情况")
    assert paras[at + 1 : at + 3] == [
        "本期共开展回头看2项，成效巩固1项，出现反弹1项。",
        "出现反弹并重新打开：1.3.2。",
    ]
