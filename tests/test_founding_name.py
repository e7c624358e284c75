"""A new programme's name from its ledger's title line or file name (issue 24), never doubled."""

from __future__ import annotations

import pytest

from core.domain.founding import programme_name, title_of

TITLES = [
    ("XX市巡视整改台账", "XX市巡视整改"),
    ("2024年巡视整改工作台账", "2024年巡视整改"),
    ("巡视反馈问题整改落实台账", "巡视反馈问题整改"),
    ("XX巡视整改整改台账", "XX巡视整改"),  # a doubled 整改 in the title is not kept
    ("内部审计问题清单", "内部审计问题"),
    ("Audit findings ledger", "Audit findings"),
    ("Audit findings rectification ledger", "Audit findings"),
]


@pytest.mark.parametrize(("title", "name"), TITLES)
def test_the_title_names_the_programme_without_its_ledger_word(title: str, name: str) -> None:
    assert programme_name(title, "x.xlsx") == (name, True)


def test_without_a_title_the_file_name_does() -> None:
    assert programme_name("", "2024年巡视整改台账.xlsx") == ("2024年巡视整改", False)
    assert programme_name("台账", "审计整改台账.csv") == ("审计整改", False)
    assert programme_name("", "台账.xlsx") == ("台账", False)  # nothing but the word: kept
    assert programme_name("题" * 101, "审计整改.xlsx") == ("审计整改", False)  # over the cap


def test_the_title_line_is_the_first_lone_text_above_the_header() -> None:
    assert title_of([(1, ("附件1",)), (2, (None, "XX市巡视整改台账", None))]) == "XX市巡视整改台账"
    assert title_of([(1, ("填报单位：办公室", None, "填报时间：2024年9月30日"))]) == ""
    assert title_of([(1, ("填报单位：办公室",)), (2, ("XX台账",))]) == ""  # a guess, not a title
    assert title_of([]) == ""
