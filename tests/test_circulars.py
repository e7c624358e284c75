"""Circulars (工作通报): the ranking rule, mentions, the spot-check section, the buttons."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from documents_support import sample_records

from core.domain.circulars import Finding, Mention, Stance, circular, picture, rank
from core.domain.counts import Counts, Group
from core.domain.report import MonthlyReport, monthly
from core.i18n import tr
from core.render import callback_codec as codec
from core.render.callbacks_circular import CircularPick, CircularStep
from core.render.circular import circular_docx


def _unit(name: str, on_time: float | None, answer: float | None) -> Group:
    return Group(name, Counts(total=1), answer_rate=answer, on_time_rate=on_time)


def test_units_rank_by_on_time_then_answer_rate_and_ties_share_a_place() -> None:
    units = [
        _unit("甲", 0.5, 1.0),
        _unit("乙", 1.0, None),
        _unit("丙", None, None),  # neither figure: listed, not ranked
        _unit("丁", 0.5, 1.0),  # the same figures as 甲: the same place, ledger order kept
        _unit("戊", None, 0.8),  # no on-time rate ranks below any (0% included)
        _unit("己", 0.5, 0.5),
        _unit("庚", 0.0, None),
    ]
    ranked = [(r.rank, r.unit.key) for r in rank(units)]
    assert ranked == [
        (1, "乙"),
        (2, "甲"),
        (2, "丁"),
        (4, "己"),
        (5, "庚"),
        (6, "戊"),
        (None, "丙"),
    ]
    assert rank([]) == []
    assert [r.rank for r in rank([_unit("a", None, None), _unit("b", None, None)])] == [None, None]


def _november() -> MonthlyReport:
    records = sample_records()
    return monthly([r.facts for r in records], 2024, 11, {"城市管理局": (1, 2)})


def test_mentions_keep_the_last_pick_per_unit_in_ranking_order() -> None:
    figures = picture(_november())
    assert figures.ranking[0].rank == 1 and "城市管理局" in figures.units
    c = circular(
        "巡视整改",
        figures,
        [
            Mention(Stance.NAME, "建设局", "未反馈。"),
            Mention(Stance.COMMEND, "城市管理局", "先表扬。"),
            Mention(Stance.COMMEND, "建设局", "后来改为表扬。"),
        ],
        number=3,
        issued_on=date(2025, 1, 6),
    )
    assert (c.year, c.number) == (2025, 3)  # numbered in the year it is issued
    order = [u for u in figures.units if u in ("城市管理局", "建设局")]
    assert [m.unit for m in c.commended] == order and c.named == []
    assert [m.sentence for m in c.commended if m.unit == "建设局"] == ["后来改为表扬。"]
    with pytest.raises(ValueError, match="not a lead unit"):
        circular(
            "P",
            figures,
            [Mention(Stance.NAME, "无此单位", "x")],
            number=1,
            issued_on=date(2024, 12, 3),
        )


def test_spot_check_findings_get_their_own_section() -> None:
    finding = Finding("1.3.2", "建成虎峰山乡镇水厂并投用", "城市管理局", "佐证资料与现场不符")
    figures = picture(_november(), [finding])
    c = circular("巡视整改", figures, [], number=1, issued_on=date(2024, 12, 3))
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(circular_docx(tr("zh_CN"), c))).paragraphs
    ]
    assert paragraphs[0] == "巡视整改工作通报"
    at = paragraphs.index("四、抽查不属实事项")  # no mentions: no commend or criticism section
    assert (
        paragraphs[at + 1]
        == "1. 建成虎峰山乡镇水厂并投用（1.3.2，牵头单位：城市管理局）佐证资料与现场不符。"
    )


def test_circular_buttons_round_trip_and_refuse_forgeries() -> None:
    assert CircularPick(7, "commend", 0).pack() == "cirp:7:commend:0"
    assert codec.unpack("cirp:7:name:12") == CircularPick(7, "name", 12)
    assert codec.unpack("cirs:7:issue") == CircularStep(7, "issue")
    for forged in (
        "cirp:7:praise:0",
        "cirp:07:name:1",
        "cirp:7:name:-1",
        "cirs:7:send",
        "cirs:x:issue",
        "cirp:7:name",
    ):
        with pytest.raises(codec.CallbackError):
            codec.unpack(forged)
