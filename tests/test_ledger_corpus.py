"""Every ledger of the corpus is read right, field by field, or refused naming what to do."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from ledger_corpus import Case, cases

from bot.domain.ledger import parse_ledger
from bot.domain.ledger_plan import plan_import
from bot.i18n import tr
from bot.render.ledger import issues_text, preview_text

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
