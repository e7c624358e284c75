"""The programme's inspection facts (who inspected whom, when) as a coordinator types them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from core.domain.ledger_dates import parse_deadline

FIELDS = ("inspector", "organisation", "window", "feedback", "contact")
# what each fact is called, in every language we speak: /programme 派出机关 市委第一巡视组
KEYS = {
    "inspector": "inspector", "派出机关": "inspector", "巡视组": "inspector", "巡察组": "inspector",
    "organisation": "organisation", "organization": "organisation", "被巡视单位": "organisation",
    "被巡视党组织": "organisation", "被巡察单位": "organisation", "单位": "organisation",
    "window": "window", "巡视时间": "window", "巡察时间": "window", "时间": "window",
    "feedback": "feedback", "反馈日期": "feedback", "反馈时间": "feedback", "反馈": "feedback",
    "contact": "contact", "联系方式": "contact", "监督": "contact",
}  # fmt: skip
CLEAR = frozenset({"-", "—", "clear", "none", "清除", "删除", "无"})
_DAY = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_SAME_YEAR = r"\d{1,2}\s*月\s*\d{1,2}\s*日?"
_WINDOW = re.compile(rf"({_DAY})\s*(?:至|到|to|~|–|—|－|-{{1,2}}|\s)\s*({_DAY}|{_SAME_YEAR})", re.I)
TEXT_LIMIT = 1000  # a contact block, an organisation's name: a paragraph at most


@dataclass(frozen=True)
class InspectionFacts:
    """The preamble's facts, the public-supervision contact block and the signing organisation."""

    inspector: str = ""  # 派出机关: 市委第一巡视组
    organisation: str = ""  # the inspected organisation, which signs: …党工委
    window_start: date | None = None
    window_end: date | None = None
    feedback_on: date | None = None
    contact: str = ""

    @property
    def complete(self) -> bool:
        """Everything the preamble says is known."""
        return bool(self.inspector and self.organisation and self.window_start and self.feedback_on)


def read_day(text: str) -> date | None:
    """One day as people write it (2024-01-16, 2024年1月16日), else None."""
    try:
        return parse_deadline(text.strip()) if text.strip() else None
    except ValueError:
        return None


def read_window(text: str) -> tuple[date, date] | None:
    """An inspection's span: 2023-10-10 2023-12-15, 2023年10月10日至12月15日; None otherwise."""
    found = _WINDOW.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if found is None:
        return None
    first = read_day(re.sub(r"\s", "", found[1]))
    second = found[2]
    if first is not None and "年" not in second and not re.match(r"\d{4}", second):
        second = f"{first.year}年{second}"  # 至12月15日: the first day's year
    last = read_day(re.sub(r"\s", "", second))
    if first is None or last is None or last < first:
        return None
    return first, last


def read_fact(field: str, value: str) -> dict[str, object] | None:
    """The stored changes one typed fact makes; None when the value does not read as that fact."""
    value = value.strip()
    cleared = value.lower() in CLEAR
    if field == "window":
        if cleared:
            return {"window_start": None, "window_end": None}
        span = read_window(value)
        return None if span is None else {"window_start": span[0], "window_end": span[1]}
    if field == "feedback":
        day = None if cleared else read_day(value)
        return None if day is None and not cleared else {"feedback_on": day}
    if field in ("inspector", "organisation", "contact") and len(value) <= TEXT_LIMIT:
        return {field: "" if cleared else value} if value else None
    return None
