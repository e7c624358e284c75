"""The seed's own report as test data: its skeleton, its words per measure, its programme facts."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

from conftest import SAMPLES, SHARED, sample

NAME = "rectification-progress-report.zh.txt"
# the repo's copy, else the shared one (as sample() finds ledgers)
SEED = next(
    (p for p in (SAMPLES / NAME, SHARED.parent / "seed" / NAME) if p.exists()), SAMPLES / NAME
)
HEADLINE = "截至2024年9月底，制定的42项整改措施已完成35项，其他整改任务按照时序推进。"
FACTS = [
    "/programme 派出机关 市委第一巡视组",
    "/programme 单位 西部科学城重庆高新区党工委",
    "/programme 巡视时间 2023年10月10日至12月15日",
    "/programme 反馈日期 2024年1月16日",
    "/programme 联系方式 联系电话：023—68606272；邮政地址：重庆高新区高新大道6号5号楼505室；"
    "邮编：401329；传真：023—68606154；电子邮箱：cqgxqxszg@163.com。",
]
# the sample ledger has no long-term rows where the seed lists five (三、（一）–（五）): five of
# its seven open measures are written 长期 here; "其他整改任务按照时序推进" covers them all the same
LONG_TERM = ("1.2.2", "1.2.4", "1.3.2", "1.3.3", "3.1.2")
NEXT_STEP = {"4.1.1": "下一步：持续推进审计问题清单销号，逐项压实整改责任。"}
_NTH = re.compile(r"[一二三四五六七八九十]是")
_LEVELS = (
    (re.compile(r"^([一二三四五六七八九十]+)、"), "{}、"),
    (re.compile(r"^\(([一二三四五六七八九十]+)\)"), "（{}）"),
    (re.compile(r"^(\d+)\.(?!\d)"), "{}."),
)
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def full_width(text: str) -> str:
    """The seed as its office typed it: the web page turned its Chinese punctuation half-width."""
    return text.translate(str.maketrans(",;:()", "，；：（）"))


def seed_lines() -> list[str]:
    """The seed's paragraphs up to its date (the web page's footer after it is not the report)."""
    if not SEED.exists():
        import pytest

        pytest.skip("the seed document is not here")
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    end = next(i for i, line in enumerate(lines) if _DATE.match(line))
    return [line for line in lines[: end + 1] if line]


def skeleton(paragraphs: list[str], signer: str) -> list[str]:
    """The heading marks in order: preamble, 一、 （一） 1., supervision, the signer and the date."""
    out = []
    for i, text in enumerate(unicodedata.normalize("NFKC", p) for p in paragraphs):
        if i == 0:
            out.append("preamble")
        elif text.startswith("欢迎广大干部群众"):
            out.append("supervision")
        elif text == signer:
            out.append("signer")
        elif _DATE.match(text):
            out.append("date")
        for pattern, shape in _LEVELS:
            if found := pattern.match(text):
                out.append(shape.format(found[1]))
    return out


def without_next_steps_parts(marks: list[str]) -> list[str]:
    """The skeleton the issue asks for: 四、 itself, not the groups under it."""
    at, end = marks.index("四、"), marks.index("supervision")
    return marks[: at + 1] + marks[end:]


def section(lines: list[str], first: str, last: str) -> str:
    """The seed's paragraphs from the heading `first` (excluded) to `last`, one per line."""
    start = lines.index(first) + 1
    return full_width("\n".join(lines[start : lines.index(last)]))


def _owners_words(lines: list[str]) -> dict[tuple[int, int], list[str]]:
    """Per (area, problem) in the seed's 二、: its 一是…二是… pieces, each one measure's words."""
    words: dict[tuple[int, int], list[str]] = {}
    area = 0
    two, three = (
        lines.index("二、巡视反馈重点问题整改落实情况"),
        lines.index("三、需长期整改事项进展情况"),
    )
    for line in lines[two + 2 : three]:
        if line.startswith("("):
            area += 1
            continue
        number, _, rest = line.partition(".")
        body = rest.split("。", 1)[1] if "。" in rest else rest
        pieces = [p for p in _NTH.split(body) if p]
        words[(area, int(number))] = [full_width(p) for p in pieces or [body]]
    return words


def ledger_with_words() -> bytes:
    """The seed's ledger with a 进展情况 column holding its owners' words from the seed itself."""
    lines = seed_lines()
    said = _owners_words(lines)
    long_words = [
        full_width(p.split("方面。", 1)[1])
        for p in lines[
            lines.index("三、需长期整改事项进展情况") + 1 : lines.index("四、下一步工作打算")
        ]
    ]
    rows = list(csv.reader(io.StringIO(sample("ledger.zh.csv").decode("utf-8-sig"))))
    out = [[*rows[0], "进展情况"]]
    for row in rows[1:]:
        code = row[0]
        area, problem, index = (int(x) for x in code.split("."))
        pieces = said.get((area, problem), [])
        words = pieces[index - 1] if index <= len(pieces) else ""
        if code in LONG_TERM:
            row[8] = "长期"
            words = long_words[LONG_TERM.index(code)]
        out.append([*row, words + NEXT_STEP.get(code, "")])
    buf = io.StringIO()
    csv.writer(buf).writerows(out)
    return buf.getvalue().encode("utf-8")
