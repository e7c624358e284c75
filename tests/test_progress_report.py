"""The progress report's builder and words: structure, headline, numbering, facts typed in chat."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from documents_support import fact, sample_rows

from core.domain.inspection import InspectionFacts, read_fact, read_window
from core.domain.model import MeasureFacts, Status
from core.domain.outcomes import Outcome
from core.domain.progress_report import (
    Activity,
    ProgressReport,
    Said,
    numbered,
    paragraphs,
    progress_report,
)
from core.i18n import tr
from core.render.progress_words import blocks, headline

ZH, EN = tr("zh_CN"), tr("en")
FACTS = InspectionFacts(
    "市委第一巡视组", "西部科学城重庆高新区党工委", date(2023, 10, 10), date(2023, 12, 15),
    date(2024, 1, 16), "联系电话：023—68606272。",
)  # fmt: skip


def _facts(long_term: tuple[str, ...] = ()) -> list[MeasureFacts]:
    out = []
    for row in sample_rows():
        f = fact(row)
        if f.code in long_term:
            f = replace(f, status=Status.LONG_TERM, deadline=None)
        out.append(f)
    return out


def _report(
    measures: list[MeasureFacts], said: dict[str, Said] | None = None, **kw: Any
) -> ProgressReport:
    args: dict[str, Any] = dict(
        year=2024, month=9, signed_on=date(2024, 11, 13), facts=FACTS, activity=Activity(),
        narratives={}, letters={},
    )  # fmt: skip
    args.update(kw)
    return progress_report(measures, said or {}, **args)


def test_areas_and_problems_are_numbered_in_ledger_order() -> None:
    r = _report(_facts())
    assert [(a.number, len(a.problems)) for a in r.areas] == [(1, 4), (2, 3), (3, 2), (4, 3)]
    assert [p.number for p in r.areas[3].problems] == [1, 2, 3]
    assert r.counts.total == 42 and r.counts.closed == 35


def test_long_term_measures_leave_their_problem_for_section_three() -> None:
    said = {
        "1.3.2": Said("水厂试水。"),
        "1.3.1": Said("开展安全行动。"),
        "1.3.3": Said("管网延伸。"),
    }
    letters = {"1.3.2": 2, "1.3.3": 1}
    r = _report(_facts(("1.3.2",)), said=said, letters=letters)
    third = r.areas[0].problems[2]
    assert third.words == ("开展安全行动。", "管网延伸。")
    assert (third.counts.total, third.counts.closed, third.letters) == (4, 3, 3)
    [long] = r.long_term
    assert (long.number, long.code, long.words) == (1, "1.3.2", "水厂试水。")


def test_rules_made_close_section_three_after_the_long_term_measures() -> None:
    rule = Outcome(
        measure_id=1, title="《重大事项请示报告办法》", number="高新党工委发〔2024〕12号",
        issued_on=date(2024, 3, 15), recorded_on=date(2024, 9, 30), code="1.3.2",
    )  # fmt: skip
    r = _report(_facts(("1.3.2",)), said={"1.3.2": Said("水厂试水。")}, outcomes=[rule])
    for t, three, four, section in (
        (ZH, "三、需长期整改事项进展情况", "四、", [
            "（一）建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题。水厂试水。",
            "（二）推进建章立制方面。截至2024年9月底，制定优化迭代制度1个：《重大事项请示报告办法》"
            "（高新党工委发〔2024〕12号，2024年3月15日印发；整改措施1.3.2）。",
        ]),
        (EN, "3. Progress on matters needing long-term rectification", "4. ", [
            "(1) 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题。 水厂试水。",
            "(2) Building rules and institutions. As of the end of September 2024, 1 rule has been"
            " made or revised: 《重大事项请示报告办法》 (高新党工委发〔2024〕12号, issued 15 March"
            " 2024; measure 1.3.2).",
        ]),
    ):  # fmt: skip
        texts = [b.full for b in blocks(t, r, "P")]
        at = texts.index(three)
        end = next(i for i, x in enumerate(texts) if i > at and x.startswith(four))
        assert texts[at + 1 : end] == section


def test_next_steps_group_by_area_once_each_after_the_task_forces_own() -> None:
    said = {c: Said("", "持续推进。") for c in ("4.1.1", "4.3.1")} | {"1.2.2": Said("", "报批。")}
    plans = "总体打算。\n（一）见底见效。\n\n（二）常态长效。"
    r = _report(_facts(), said=said, narratives={4: plans})
    assert r.plans == ("总体打算。", "（一）见底见效。", "（二）常态长效。")
    assert [(g.number, g.steps) for g in r.next_steps] == [(3, ("报批。",)), (4, ("持续推进。",))]
    assert numbered(paragraphs(plans)) == 2


@pytest.mark.parametrize(
    ("closed", "overdue", "zh", "en"),
    [
        (35, 0, "截至2024年9月底，制定的42项整改措施已完成35项，其他整改任务按照时序推进。",
         "As of the end of September 2024, 35 of the 42 rectification measures set have been completed; the other rectification tasks are progressing on schedule."),
        (35, 2, "截至2024年9月底，制定的42项整改措施已完成35项，逾期2项，其他整改任务按照时序推进。",
         "As of the end of September 2024, 35 of the 42 rectification measures set have been completed and 2 are overdue; the other rectification tasks are progressing on schedule."),
        (40, 2, "截至2024年9月底，制定的42项整改措施已完成40项，其余2项已逾期。",
         "As of the end of September 2024, 40 of the 42 rectification measures set have been completed; the other 2 are overdue."),
        (42, 0, "截至2024年9月底，制定的42项整改措施已全部完成。",
         "As of the end of September 2024, all 42 rectification measures set have been completed."),
    ],
)  # fmt: skip
def test_the_headline_says_what_the_seed_says(closed: int, overdue: int, zh: str, en: str) -> None:
    from core.domain.counts import Counts

    c = Counts(total=42, closed=closed, overdue=overdue)
    assert headline(ZH, c, date(2024, 9, 30)) == zh
    assert headline(EN, c, date(2024, 9, 30)) == en


def test_the_words_number_and_run_as_the_seed_runs_them() -> None:
    said = {"4.1.1": Said("发送提示函"), "4.2.1": Said("用好清单机制。")}
    r = _report(_facts(), said=said, letters={"4.1.1": 5})
    texts = [b.full for b in blocks(ZH, r, "P")]
    assert (
        "1.审计反馈问题整改不彻底方面。发送提示函。发送工作提示函5份，督促问题整改。截至9月底，涉及整改措施1项，按照时序推进1项。"
        in texts
    )
    assert "2.审计整改监督机制不健全方面。用好清单机制。" in texts
    assert (
        "3.金凤园区服务中心项目存在损失风险方面。截至9月底，涉及整改措施1项，按照时序推进1项。"
        in texts
    )
    assert "1.重点领域整治不深入方面。（此处由整改专班填写该问题的整改进展。）" not in texts
    assert "3.重点领域整治不深入方面。（此处由整改专班填写该问题的整改进展。）" in texts
    english = [b.full for b in blocks(EN, r, "P")]
    assert (
        "1) 审计反馈问题整改不彻底. 发送提示函。 5 work prompt letters were sent to press for rectification. As of 30 September, it has 1 measure: 1 progressing on schedule."
        in english
    )
    assert (
        english[2]
        == "1. How 西部科学城重庆高新区党工委 fulfilled its principal responsibility for the rectification"
    )


def test_section_one_offers_the_record_until_the_task_force_writes_it() -> None:
    r = _report(_facts(), activity=Activity(dispatches=27, reviews=14, letters=1, lookbacks=0))
    texts = [b.full for b in blocks(ZH, r, "P")]
    at = texts.index("一、党工委履行巡视整改主体责任情况")
    assert texts[at + 1] == "整改工作开展以来，共记录每周调度27次、半月研判14次和工作提示函1份。"
    written = _report(_facts(), narratives={1: "总述。\n（一）提高站位抓整改。召开会议。"})
    out = blocks(ZH, written, "P")
    at = [b.full for b in out].index("一、党工委履行巡视整改主体责任情况")
    assert [(b.lead, b.text) for b in out[at + 1 : at + 3]] == [
        ("", "总述。"), ("（一）提高站位抓整改。", "召开会议。"),
    ]  # fmt: skip


def test_the_preamble_waits_for_the_facts_and_the_signature_falls_back_to_the_programme() -> None:
    r = _report(_facts(), facts=InspectionFacts(inspector="市委第一巡视组"))
    out = blocks(ZH, r, "巡视整改")
    assert out[1].text.startswith("（此处由整改专班填写巡视时间")
    assert [b.text for b in out[-2:]] == ["巡视整改", "2024年11月13日"]
    assert not [b for b in out if b.text.startswith("欢迎广大干部群众")]
    plain = replace(FACTS, inspector="省委巡视组")
    r = _report(_facts(), facts=plain)
    assert blocks(ZH, r, "P")[1].text.startswith("2023年10月10日至12月15日，省委巡视组对")


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("2023-10-10 2023-12-15", (date(2023, 10, 10), date(2023, 12, 15))),
        ("2023年10月10日至12月15日", (date(2023, 10, 10), date(2023, 12, 15))),
        ("2023/10/10 – 2024/1/5", (date(2023, 10, 10), date(2024, 1, 5))),
        ("２０２３年１０月１０日至１２月１５日", (date(2023, 10, 10), date(2023, 12, 15))),
        ("2023-12-15 2023-10-10", None),
        ("去年秋天", None),
        ("2023-10-10", None),
    ],
)
def test_an_inspection_window_as_people_type_it(typed: str, span: object) -> None:
    assert read_window(typed) == span


def test_facts_typed_in_chat() -> None:
    assert read_fact("feedback", "2024年1月16日") == {"feedback_on": date(2024, 1, 16)}
    assert read_fact("feedback", "-") == {"feedback_on": None}
    assert read_fact("feedback", "明天") is None
    assert read_fact("contact", "清除") == {"contact": ""}
    assert read_fact("inspector", "") is None
    assert read_fact("window", "无") == {"window_start": None, "window_end": None}
