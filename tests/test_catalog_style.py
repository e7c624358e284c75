"""Every catalog entry against the STYLE rules a program can check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[1] / "locales" / "zh_CN" / "LC_MESSAGES" / "cadence.po"
CJK = r"[\u3400-\u9fff]"
HALF = r"[,:;()!?]"
RULES = {
    "half-width punctuation next to Chinese": re.compile(rf"{CJK}{HALF}|{HALF}{CJK}"),
    "a percentage with .0": re.compile(r"\.0\s*%|\.0\}%"),
    "an ISO week code": re.compile(r"[0-9]{4}-W[0-9]{2}|\{[a-z_]*week[a-z_]*\}"),
    "an ISO date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "an exclamation mark": re.compile(r"[!！]"),
    # “共42项”, “第3周”: no space between Chinese and a number, a Latin word or a placeholder
    "a space between Chinese and a number or Latin text": re.compile(
        rf"{CJK} [0-9A-Za-z{{]|[0-9A-Za-z}}] {CJK}"
    ),
    # 9月30日, 10月8日（周二）9:00: no zero-padded month, day or hour after Chinese
    "a zero-padded date or time": re.compile(rf"(?:{CJK}|^)0[0-9](?:月|日|:)"),
    # 20项中已完成17项, not 17/20 (pages, 第2/3页, are no count)
    "a count as a fraction": re.compile(r"\{(?!page\})[a-z_]+\}/\{"),
    # 🔴红灯2项, not 🔴 2; 新增42项, not 新增：42
    "a count without its measure word": re.compile(
        r"[🔴🟡🟢]\s*\{|(?:新增|变更|未变|待销号)[：:]\s*\{"
    ),
    # the programme's name before 台账 or 专班 comes from Tr.stem, which adds 整改 when it is missing
    "a programme's name doubled with 整改": re.compile(r"\{programme\}整改"),
    # one name per beat, as STYLE.md names them: 每周调度, 半月研判, 月度汇报
    "a beat under another name": re.compile(r"每月汇报|月度报告"),
    # Chinese help shows Chinese arguments (/export 汇报 9月, /invites 专班 3), 北京时间 as the zone
    "an English argument in Chinese": re.compile(
        r"/(?:export|invites|schedule|summary|setup) \[?(?:report|halfyear|evidence|coordinator|"
        r"dispatch|review|lookback|timezone|calendar|overdue|area|unit|taskforce)\b|Asia/"
    ),
}
# commands and options with their arguments are code spans: spaces there are the syntax
CODE = re.compile(r"(?:/|--)[a-z_-]+[^，。；：（）“”·、]*")
SPACING = {"a space between Chinese and a number or Latin text", "a zero-padded date or time"}


def _entries() -> list[tuple[str, str]]:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    out = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        out += [(str(ids[0]), str(s or "")) for s in strings]
    return out


@pytest.mark.parametrize("rule", list(RULES))
def test_zh_cn_msgstr_follows_style(rule: str) -> None:
    pattern = RULES[rule]
    spaced = rule in SPACING  # only spacing rules look past code spans
    broken = [(i, s) for i, s in _entries() if pattern.search(CODE.sub("`", s) if spaced else s)]
    assert broken == [], f"{rule}: {broken}"


def test_english_msgids_carry_no_chinese() -> None:
    assert [i for i, _ in _entries() if re.search(CJK, i)] == []
