"""The monthly report DOCX and chart: opened and checked against the ledger."""

from __future__ import annotations

import io
import logging
import struct
from dataclasses import replace
from datetime import date

import docx
import pytest
from documents_support import sample_records

from core.domain import documents, report
from core.domain.documents import Extras, Record
from core.domain.model import Status
from core.i18n import tr
from core.render import chart
from core.render.digest import headline
from core.render.docx import monthly_docx, sentence
from core.render.docx_base import cn_number

HEADLINE_ZH = "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。"
HEADLINE_EN = "As of 30 September, 35 of 42 measures are complete; 7 are in progress."


def _report(rows: list[Record]) -> report.MonthlyReport:
    return report.monthly([r.facts for r in rows], 2024, 9)


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _with_overdue_and_long_term() -> list[Record]:
    rows = sample_records()
    late = replace(
        rows[41],
        facts=replace(rows[41].facts, deadline=date(2024, 9, 20), status=Status.IN_PROGRESS),
    )
    ongoing = replace(
        rows[40], facts=replace(rows[40].facts, deadline=None, status=Status.LONG_TERM)
    )
    return [*rows[:40], ongoing, late]


def test_monthly_docx_in_the_seeds_shape() -> None:
    rows = sample_records()
    content = _report(rows)
    doc = _open(monthly_docx(tr("zh_CN"), content, rows, "巡视整改"))
    paras = [(p.style.name if p.style else "", p.text) for p in doc.paragraphs]
    assert paras[0] == ("公文标题", "关于巡视整改进展情况的报告")
    assert paras[1] == ("仿宋居中", "（截至2024年9月30日）")
    assert (
        paras[2]
        == ("仿宋正文", HEADLINE_ZH)
        == ("仿宋正文", headline(tr("zh_CN"), content.counts, content.as_of))
    )
    heads = [text for style, text in paras if style == "黑体标题"]
    areas = [g.key for g in content.areas]
    assert heads == [
        "一、总体进展",
        *(f"{cn_number(i)}、{a}的整改情况" for i, a in enumerate(areas, start=2)),
        "六、本月销号情况",
        "七、逾期事项",
        "八、需长期整改事项进展情况",
        "九、本月“回头看”情况",
        "十、推进建章立制情况",
        "十一、下一步工作打算",
    ]
    overall = paras[paras.index(("黑体标题", "一、总体进展")) + 1][1]
    assert overall.startswith("共有整改措施42项，已完成35项，正在按时序推进7项，逾期0项；")
    # every measure appears once under its area, with the owner's words where given
    items = [text for style, text in paras if style == "仿宋正文" and "（" in text]
    for r in rows:
        assert sum(f"（{r.facts.code}）" in text for text in items) >= 1
    noted = next(text for text in items if "征求意见" in text)
    assert noted.endswith("已完成初稿，正在征求意见。（科技创新局联络员，2024年9月23日报送）")
    assert paras[-1] == ("仿宋正文", "（此处由整改专班填写下一步工作打算。）")
    assert [s for s, _ in paras].count("楷体标题") >= 4


def test_docx_page_styles_and_page_numbers() -> None:
    rows = sample_records()
    doc = _open(monthly_docx(tr("zh_CN"), _report(rows), rows, "P"))
    section = doc.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    body = doc.styles["仿宋正文"]
    rfonts = body.element.rPr.rFonts
    assert (
        rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋_GB2312"
    )
    assert (
        doc.styles["黑体标题"].element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "黑体"
    )
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer


def test_overdue_long_term_and_next_steps_listed() -> None:
    rows = _with_overdue_and_long_term()
    steps = {rows[0].facts.code: Extras(next_step="召开专题会议研究")}
    rows = [replace(r, extras=steps.get(r.facts.code, r.extras)) for r in rows]
    content = _report(rows)
    texts = [p.text for p in _open(monthly_docx(tr("zh_CN"), content, rows, "P")).paragraphs]
    late = rows[41].facts
    start = texts.index("七、逾期事项")
    assert texts[start + 1] == (
        f"1. {late.text}（{late.code}）牵头单位{late.lead_unit}，责任人{late.owner}，"
        "完成时限2024年9月20日，已逾期10天。"
    )
    long_term = texts[texts.index("八、需长期整改事项进展情况") + 1]
    assert long_term.startswith(f"1. {rows[40].facts.text}（{rows[40].facts.code}）")
    assert texts[-1].endswith("召开专题会议研究")


def test_monthly_docx_in_english() -> None:
    rows = sample_records("ledger.en.csv")
    content = _report(rows)
    paras = [
        p.text for p in _open(monthly_docx(tr("en"), content, rows, "Audit follow-up")).paragraphs
    ]
    assert paras[:3] == [
        "Progress report on Audit follow-up",
        "(as of 30 September 2024)",
        HEADLINE_EN,
    ]
    assert "1. Overall progress" in paras and paras[-2] == f"{len(content.areas) + 7}. Next steps"
    assert paras[-1] == "[The task force writes the next steps here.]"


def test_sentences_end_in_their_own_script() -> None:
    assert sentence("已完成初稿") == "已完成初稿。"
    assert sentence("Draft done") == "Draft done."
    assert sentence("已完成。") == "已完成。"
    assert cn_number(12) == "十二" and cn_number(21) == "二十一" and cn_number(10) == "十"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_chart_is_a_png_of_the_expected_size() -> None:
    rows = _with_overdue_and_long_term()
    content = _report(rows)
    # 34 signed off in September; 35 closed at its end (one was done before the programme)
    offs = [(f"c{i}", date(2024, 9, 20)) for i in range(34)]
    history = documents.closed_by_month(offs, {(2024, 9): 35}, 2024, 9)
    assert [h.total for h in history] == [0, 0, 0, 0, 0, 35] and history[-1].closed == 34
    assert _png_size(chart.monthly_chart(tr("zh_CN"), content, history)) == (1000, 500)


def test_chart_words_without_a_cjk_font(caplog: pytest.LogCaptureFixture) -> None:
    rows = sample_records()
    content = _report(rows)
    history = documents.closed_by_month([], {(2024, 9): 35}, 2024, 9)
    words = chart.chart_text(tr("zh_CN"), content, history, cjk=False)
    assert words.areas == ["1", "2", "3", "4"]
    assert words.legend == ("Closed", "In progress", "Overdue")
    assert words.months[-1] == "September 2024"
    with_font = chart.chart_text(tr("zh_CN"), content, history, cjk=True)
    assert with_font.legend == ("已完成", "正在推进", "逾期") and with_font.areas[0].startswith(
        "1. "
    )
    chart.cjk_font.cache_clear()
    try:
        original = chart.CJK_FONTS
        chart.CJK_FONTS = ("No Such Font",)
        with caplog.at_level(logging.WARNING):
            assert chart.cjk_font() is None and chart.cjk_font() is None
        assert len([r for r in caplog.records if "CJK" in r.getMessage()]) == 1
    finally:
        chart.CJK_FONTS = original
        chart.cjk_font.cache_clear()


def test_a_month_without_closures_draws_its_axis_from_nought() -> None:
    # issue 22, item 4: no closures drew an axis from −0.045 to 0.045
    from core.render.chart_axes import axis

    history = documents.closed_by_month([], {}, 2024, 9)
    assert max(max(h.closed, h.total) for h in history) == 0
    assert axis(0).ticks == [0, 1]
    # whole counts, the longest bar short of the frame, at most six steps
    assert axis(35).ticks == [0, 10, 20, 30, 40]
    assert axis(4).ticks == [0, 1, 2, 3, 4, 5]
    assert axis(42).top == 50 and axis(10_000).ticks[-1] == 12_000
    png = chart.monthly_chart(tr("zh_CN"), _report(sample_records()), history)
    assert _png_size(png) == (1000, 500)
