"""建章立制's pure rules: titles in 《》, document numbers, dates of issue, placing by area, replay."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import docx
import pytest
from documents_support import sample_records

from core.domain import report
from core.domain.model import MeasureFacts, Status
from core.domain.outcomes import (
    Outcome,
    Problem,
    by_area,
    issued_of,
    may_record,
    number_of,
    placed,
    title_of,
)
from core.domain.replay import OUTCOME, Recorded, outcomes
from core.i18n import tr
from core.render.docx import monthly_docx

TODAY = date(2024, 9, 30)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("重大事项请示报告办法", "《重大事项请示报告办法》"),
        ("《重大事项请示报告办法》", "《重大事项请示报告办法》"),
        ("  “重大事项  请示报告办法” ", "《重大事项 请示报告办法》"),
        ("《办法", "《办法》"),
        ("《A办法》《B细则》", "《A办法》《B细则》"),
        ("", Problem.EMPTY),
        ("《》", Problem.EMPTY),
        ("办" * 201, Problem.TOO_LONG),
    ],
)
def test_titles_get_their_brackets(typed: str, kept: str | Problem) -> None:
    assert title_of(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("高新党工委发〔2024〕12号", "高新党工委发〔2024〕12号"),
        ("高新党工委发 [2024] 12号", "高新党工委发〔2024〕12号"),
        ("高新管发（２０２４）３０号", "高新管发〔2024〕30号"),
        ("高新审发【2024】7号", "高新审发〔2024〕7号"),
        ("GX-2024-12", "GX-2024-12"),
        ("无", Problem.FORMAT),
        ("   ", Problem.EMPTY),
        ("发" * 59 + "1号", Problem.TOO_LONG),
    ],
)
def test_document_numbers_as_offices_print_them(typed: str, kept: str | Problem) -> None:
    assert number_of(typed) == kept


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024.6.1", date(2024, 6, 1)),
        ("2024年3月15日", date(2024, 3, 15)),
        ("２０２４年９月３０号", TODAY),
        ("2024-02-29", date(2024, 2, 29)),  # a leap year
        ("2023-02-29", Problem.IMPOSSIBLE),
        ("2024-02-30", Problem.IMPOSSIBLE),
        ("2024年13月1日", Problem.IMPOSSIBLE),
        ("0024-01-01", Problem.IMPOSSIBLE),
        ("2024-10-01", Problem.FUTURE),
        ("3月15日", Problem.FORMAT),
        ("昨天", Problem.FORMAT),
        ("", Problem.EMPTY),
    ],
)
def test_dates_of_issue_are_real_days_not_after_today(typed: str, kept: date | Problem) -> None:
    assert issued_of(typed, TODAY) == kept


def test_owners_record_their_own_coordinators_any() -> None:
    assert may_record(person_id=1, owners=[1, 2], coordinator=False)
    assert may_record(person_id=2, owners=[1, 2], coordinator=False)  # a co-owner
    assert not may_record(person_id=3, owners=[1, 2], coordinator=False)
    assert may_record(person_id=3, owners=[1, 2], coordinator=True)


def _facts(code: str, area: str, number: int) -> MeasureFacts:
    return MeasureFacts(
        code=code, text="", area_number=number, area=area, problem="", leader="",
        lead_unit="", owner="", deadline=None, status=Status.IN_PROGRESS,
    )  # fmt: skip


def test_replayed_rules_are_placed_by_area_in_ledger_order() -> None:
    at = datetime(2024, 9, 30, 2, tzinfo=UTC)
    after = {"title": "《B》", "number": "2号", "issued_on": "2024-06-01", "file": "b.pdf"}
    events = [
        Recorded(7, "measure.update", at, at.date(), {"health": "on_track"}),
        Recorded(7, OUTCOME, at, at.date(), after),
        Recorded(
            5, OUTCOME, at, at.date(), {**after, "title": "《A》", "number": "1号", "file": ""}
        ),
        Recorded(9, OUTCOME, at, at.date(), {**after, "number": "3号"}),  # removed since
    ]
    rules = outcomes(events)
    assert [(o.measure_id, o.number, o.file) for o in rules] == [
        (7, "2号", "b.pdf"), (5, "1号", ""), (9, "3号", "b.pdf"),
    ]  # fmt: skip
    facts = [_facts("1.2", "甲", 1), _facts("2.1", "乙", 2), _facts("1.10", "甲", 1)]
    shown = placed(rules, facts, {5: "1.10", 7: "2.1", 9: "3.1"})
    assert [(o.code, o.area) for o in shown] == [("1.10", "甲"), ("2.1", "乙")]
    assert [(area, [o.number for o in items]) for area, items in by_area(shown)] == [
        ("甲", ["1号"]), ("乙", ["2号"]),
    ]  # fmt: skip
    assert shown[0] == Outcome(5, "《A》", "1号", date(2024, 6, 1), at.date(), "", "1.10", "甲", 1)


def test_monthly_docx_lists_rules_by_area_in_english() -> None:
    rows = sample_records("ledger.en.csv")
    facts = [r.facts for r in rows]
    ids = {i: f.code for i, f in enumerate(facts, start=1)}
    rule = Outcome(1, "《Rules on reporting》", "GX-2024-12", date(2024, 3, 15), date(2024, 8, 2))
    later = replace(rule, measure_id=len(facts), number="GX-2024-13", recorded_on=TODAY)
    content = replace(report.monthly(facts, 2024, 9), outcomes=placed([rule, later], facts, ids))
    paras = [
        p.text
        for p in docx.Document(io.BytesIO(monthly_docx(tr("en"), content, rows, "P"))).paragraphs
    ]
    at = paras.index(f"{len(content.areas) + 6}. Institutional outcomes")
    first, last = facts[0], facts[-1]
    assert paras[at + 1 : at + 6] == [
        "As of 30 September, 2 rules had been made or revised, 1 of them this month.",
        f"(1) {first.area}",
        f"1. 《Rules on reporting》 (GX-2024-12, issued 15 March 2024; measure {first.code})",
        f"(2) {last.area}",
        f"1. 《Rules on reporting》 (GX-2024-13, issued 15 March 2024; measure {last.code})",
    ]
    empty = monthly_docx(tr("zh_CN"), report.monthly(facts, 2024, 9), rows, "P")
    paras = [p.text for p in docx.Document(io.BytesIO(empty)).paragraphs]
    assert paras[paras.index("十、推进建章立制情况") + 1] == "截至9月底，尚未录入制度成果。"
