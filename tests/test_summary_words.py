"""Pure rules behind /summary and the digests: filters as people type them, trimming, rates."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.domain import filters
from core.domain.filters import FilterError, Kind, Known, Problem, chinese_number
from core.domain.model import Answer, Health, MeasureFacts, Status
from core.domain.report import Group, count, monthly
from core.i18n import tr
from core.render.digest import report_text, unit_sentence
from core.render.measures import answer, short

KNOWN = Known(
    areas=[(1, "党建方面"), (2, "审计整改方面")], units=["城市管理局", "应急管理局", "建设局"]
)


def facts(code: str, area: int, unit: str, **kw: object) -> MeasureFacts:
    base: dict[str, object] = {
        "code": code,
        "text": f"措施{code}",
        "area_number": area,
        "area": dict(KNOWN.areas)[area],
        "problem": "问题",
        "leader": "副主任",
        "lead_unit": unit,
        "owner": f"{unit}联络员",
        "deadline": date(2024, 12, 31),
        "status": Status.IN_PROGRESS,
    }
    base.update(kw)
    return MeasureFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [("1", 1), ("12", 12), ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21)],
)
def test_chinese_numbers(text: str, value: int) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "²", "一二三", "百", "十十", "二十二十"])
def test_not_numbers(text: str) -> None:
    assert chinese_number(text) is None


@pytest.mark.parametrize(
    ("args", "kind", "value"),
    [
        ([], Kind.ALL, ""),
        (["逾期"], Kind.OVERDUE, ""),
        (["Overdue"], Kind.OVERDUE, ""),
        (["area", "2"], Kind.AREA, "2"),
        (["方面2"], Kind.AREA, "2"),
        (["第二方面"], Kind.AREA, "2"),
        (["第2个方面"], Kind.AREA, "2"),
        (["方面", "审计"], Kind.AREA, "2"),
        (["党建方面"], Kind.AREA, "1"),
        (["单位", "建设局"], Kind.UNIT, "建设局"),
        (["unit", "城市"], Kind.UNIT, "城市管理局"),
        (["单位建设"], Kind.UNIT, "建设局"),
        (["应急"], Kind.UNIT, "应急管理局"),
    ],
)
def test_filters_read_like_people_talk(args: list[str], kind: Kind, value: str) -> None:
    assert filters.parse(args, KNOWN) == filters.Filter(kind, value)


@pytest.mark.parametrize(
    ("args", "problem", "candidates"),
    [
        (["方面3"], Problem.NO_AREA, ["1 党建方面", "2 审计整改方面"]),
        (["第九方面"], Problem.NO_AREA, ["1 党建方面", "2 审计整改方面"]),
        (["单位", "管理"], Problem.AMBIGUOUS, ["城市管理局", "应急管理局"]),
        (["财政局"], Problem.UNKNOWN, []),
        (["单位", "党建"], Problem.UNKNOWN, []),
    ],
)
def test_filters_refused_with_reason(
    args: list[str], problem: Problem, candidates: list[str]
) -> None:
    with pytest.raises(FilterError) as caught:
        filters.parse(args, KNOWN)
    assert (caught.value.problem, caught.value.candidates) == (problem, candidates)


def test_unit_filter_keeps_lead_and_co_units_and_counts_each() -> None:
    ms = [
        facts("1", 1, "建设局"),
        facts("2", 1, "城市管理局", co_units=("建设局",)),
        facts("3", 2, "应急管理局"),
    ]
    where = filters.parse(["单位", "建设局"], Known.of(ms))
    kept = filters.apply(where, ms, date(2024, 9, 30))
    assert [m.code for m in kept] == ["1", "2"]
    assert filters.unit_share(where, kept) == (1, 1)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (
            "完善城市排水管网，推进雨污分流改造，加快老旧小区改造",
            20,
            "完善城市排水管网，推进雨污分流改造…",
        ),
        ("Upgrade the drainage network of the old town", 20, "Upgrade the…"),
        ("推进老旧小区改造工程建设进度加快推进", 10, "推进老旧小区改造工…"),
        ("Short text", 20, "Short text"),
        ("Budget 8000000 yuan needed", 14, "Budget…"),
    ],
)
def test_short_never_cuts_a_word(text: str, limit: int, expected: str) -> None:
    assert short(text, limit) == expected
    assert len(short(text, limit)) <= limit


@pytest.mark.parametrize(
    ("ratio", "zh"),
    [(35 / 42, "83%"), (0.5, "50%"), (0.996, "99.6%"), (0.004, "0.4%"), (1, "100%")],
)
def test_percentages_whole_unless_rounding_misleads(ratio: float, zh: str) -> None:
    assert tr("zh_CN").pct(ratio) == zh
    assert tr("en").pct(ratio) == zh


def test_answer_line_in_both_languages() -> None:
    said = Answer(
        health=Health.BLOCKED,
        at=datetime(2024, 9, 20, 10, 0),
        by="周强",
        percent=60,
        note="一期完成",
        blockers="资金缺口约800万元",
    )
    assert (
        answer(tr("zh_CN"), said) == "    ↳ 推进受阻 · 60% · “资金缺口约800万元”（9月20日，周强）"
    )
    assert (
        answer(tr("en"), said) == "    ↳ Blocked · 60% · “资金缺口约800万元” (20 September, 周强)"
    )


def test_unit_lines_read_as_sentences() -> None:
    group = Group("城市管理局", count([facts("1", 1, "城市管理局")] * 2, date(2024, 9, 30)))
    rated = Group(group.key, group.counts, answer_rate=0.5, on_time_rate=0.0)
    assert unit_sentence(tr("zh_CN"), group) == "城市管理局：牵头2项，已完成0项"
    assert (
        unit_sentence(tr("zh_CN"), rated)
        == "城市管理局：牵头2项，已完成0项，反馈率50%，按时完成率0%"
    )
    assert unit_sentence(tr("en"), rated) == (
        "城市管理局: leads 2 measures, 0 complete, answer rate 50%, on-time rate 0%"
    )


def test_monthly_report_gives_each_area_in_the_owners_words() -> None:
    said = Answer(Health.ON_TRACK, datetime(2024, 9, 25, 9, 0), "周强", note="已铺设管网2公里")
    ms = [
        facts("1", 1, "建设局", status=Status.CLOSED, closed_on=date(2024, 9, 10), latest=said),
        facts("2", 1, "城市管理局", latest=said),
        facts("3", 2, "应急管理局", status=Status.CLOSED, closed_on=date(2024, 8, 1)),
    ]
    text = report_text(tr("zh_CN"), monthly(ms, 2024, 9), "P")
    tail = text.split("各方面进展（据责任人反馈）：\n")[1].split("\n")
    assert tail[0] == "一、党建方面"
    assert tail[1] == "本月完成："
    assert tail[2].startswith("✅ 1 措施1 ")
    assert tail[3] == "    ↳ 正常推进 · “已铺设管网2公里”（9月25日，周强）"
    assert tail[4] == "正在推进："
    assert tail[5].startswith("🟢 2 措施2 ")
    assert tail[7:] == ["二、审计整改方面", "本方面整改措施均已在本月前完成。"]
    assert (
        "按牵头单位：\n建设局：牵头1项，已完成1项\n城市管理局：牵头1项，已完成0项\n"
        "应急管理局：牵头1项，已完成1项\n"
    ) in text
