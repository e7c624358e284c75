"""Every ledger of the corpus is read right, field by field, or refused naming what to do."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from ledger_corpus import ZH, Case, base, cases, csv_of

from core.domain.ledger import parse_ledger
from core.domain.ledger_plan import plan_import, row_values
from core.domain.ledger_words import normal_code
from core.domain.model import code_key
from core.i18n import tr
from core.render.ledger import issues_text, preview_text
from core.render.ledger_changes import change_line

CASES = cases()


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_ledger_reads_right_or_is_refused(case: Case) -> None:
    parsed = parse_ledger(case.make(), case.filename)
    t = tr("zh_CN")
    if case.refused:
        assert not parsed.ok
        assert {(i.row, i.column, i.problem) for i in parsed.issues} == case.refused
        text = issues_text(t, parsed, case.filename)
    else:
        assert parsed.issues == ()
        got = [{k: v for k, v in asdict(r).items() if k != "row"} for r in parsed.rows]
        assert got == case.expected()
        text = preview_text(t, plan_import(parsed.rows, {}), parsed, "P")
    for line in case.preview:
        assert line in text, text


def test_chinese_numeral_codes_sort_in_numeral_order_and_keep_their_brackets() -> None:
    codes = ["十一、", "二、", "十、", "一、", "九、", "二十、"]
    assert sorted(codes, key=code_key) == ["一、", "二、", "九、", "十、", "十一、", "二十、"]
    nested = ["（十）", "（二）", "（一）", "（十二）", "(三)"]
    assert sorted(nested, key=code_key) == ["（一）", "（二）", "(三)", "（十）", "（十二）"]
    assert sorted(["一（十）1.", "一（二）2.", "一（二）10."], key=code_key) == [
        "一（二）2.", "一（二）10.", "一（十）1."
    ]  # fmt: skip
    assert normal_code(" （一） ") == "（一）" and normal_code("Ａ－０１") == "A-01"


def test_a_reimport_names_a_changed_further_leader_and_original_deadline() -> None:
    first = parse_ledger(csv_of([ZH, base("1", 责任领导="李明、王强")])(), "l.csv").rows
    stored = {r.code: {**row_values(r), "removed": False} for r in first}
    header = [*ZH, "原完成时限"]
    again = parse_ledger(
        csv_of([header, [*base("1", 责任领导="李明、赵敏"), "2024-09-30"]])(), "l.csv"
    )
    plan = plan_import(again.rows, stored)
    assert plan.fields["1"] == {
        "co_leaders": ("王强", "赵敏"), "original_deadline": (None, "2024-09-30")
    }  # fmt: skip
    assert change_line(tr("zh_CN"), "1", plan.fields["1"]) == (
        "1：其他责任领导由王强改为赵敏；原完成时限由—改为2024年9月30日"
    )


def test_a_code_stored_folded_meets_the_same_code_with_full_width_brackets() -> None:
    # codes imported before full-width brackets were kept were stored as (一)
    old = parse_ledger(csv_of([ZH, base("一、"), base("（一）")])(), "l.csv").rows
    stored = {
        r.code.replace("（", "(").replace("）", ")"): {**row_values(r), "removed": False}
        for r in old
    }
    assert sorted(stored) == ["(一)", "一、"]
    plan = plan_import(old, stored)
    assert (plan.new, plan.changed, plan.unchanged, plan.missing) == ([], [], 2, [])
