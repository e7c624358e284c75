"""The words and values offices write in ledgers: header names, statuses, deadlines, people."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta

from bot.domain.ledger_io import FORMULA
from bot.domain.model import Status

# Header names, compared after key(); 序号 is deliberately absent: it is a row count, not a code.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编号", "措施编号", "整改编号", "code"),
    "area": ("方面", "整改方面", "area"),
    "problem": ("问题", "存在问题", "反馈问题", "问题清单", "problem"),
    "measure": ("整改措施", "措施", "整改举措", "measure"),
    "leader": ("责任领导", "分管领导", "responsible leader", "leader"),
    "lead_unit": ("牵头单位", "牵头部门", "lead unit"),
    "co_units": ("责任单位", "责任部门", "配合单位", "协办单位", "co-units", "co units"),
    "owner": ("责任人", "联络员", "具体责任人", "联系人", "owner"),
    "deadline": ("完成时限", "整改时限", "时限", "完成时间", "deadline", "due date"),
    "status": ("状态", "整改状态", "完成情况", "status"),
    "progress": ("进展情况", "整改进展", "进展", "progress"),
}
STATUSES: dict[Status, tuple[str, ...]] = {
    Status.NOT_STARTED: ("未启动", "未开始", "尚未启动", "not started"),
    Status.IN_PROGRESS: (
        "推进中",
        "进行中",
        "正在推进",
        "整改中",
        "正在整改",
        "按时序推进",
        "未完成",
        "in progress",
    ),
    Status.LONG_TERM: ("长期坚持", "长期", "long-term", "ongoing"),
    Status.PENDING_SIGNOFF: ("待销号", "pending sign-off"),
    Status.CLOSED: (
        "已完成",
        "已整改",
        "已办结",
        "已销号",
        "完成",
        "done",
        "closed",
        "completed",
    ),
    Status.REOPENED: ("反弹", "reopened"),
}
LONG_TERM_WORDS = ("长期", "长期坚持", "持续推进", "long-term", "ongoing")
IMMEDIATE_WORDS = ("立行立改", "immediate", "immediately")
DEADLINE_FORMS = (
    "2024-09-30", "2024/9/30", "2024.9.30", "2024年9月30日", "2024年12月底前", "2024年底前",
    "2024年第三季度", "长期坚持", "立行立改",
)  # fmt: skip
CODE_MAX = 50  # Measure.code column
NAME_MAX = 300  # Person.name and Unit.name columns
CONTACT_MAX = 100  # Person.contact column
TEXT_MAX = 2000

DATE_RES = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2})?)?"),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日?前?"),
)
MONTH_END_RE = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:年?[底末])?(?:之?前)?")
QUARTER_RE = re.compile(r"(\d{4})年?第?([1-4一二三四])季度?(?:[底末])?(?:之?前)?|(\d{4})q([1-4])")
QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
EXCEL_EPOCH = date(1899, 12, 30)  # right for every serial after Excel's phantom 1900-02-29
SERIAL_YEARS = range(1990, 2200)  # a number outside these years is a typo, not a deadline

UNIT_SPLIT_RE = re.compile(r"[、，,;；\r\n]+")
PEOPLE_SPLIT_RE = re.compile(r"[、，,;；/／\r\n]+")
BRACKETS_RE = re.compile(r"[（(【\[]([^）)】\]]*)[）)】\]]?")
PHONE_RE = re.compile(r"(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8}")
PHONE_LABEL_RE = re.compile(r"(?:电话|手机|联系电话|tel\.?|phone)[:：]?", re.I)
CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
# zero-width and other invisible characters that make two equal names differ
INVISIBLE = frozenset(
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff"
    # bidi embeddings, overrides and isolates: U+202E makes "1.1‮fdp.exe" read as "1.1exe.pdf"
    "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
SPACES = frozenset("\u00a0\u2007\u202f\u3000")


def key(text: str) -> str:
    """Fold width, case, spaces, hyphens and underscores so 'Lead-unit' meets 'lead unit'."""
    return re.sub(r"[\s\-_\ufeff\u200b]+", "", unicodedata.normalize("NFKC", text).casefold())


# Unicode's control characters (category Cc) are exactly U+0000–U+001F and U+007F–U+009F
CONTROLS = (*range(0x20), *range(0x7F, 0xA0))
_CLEAN = {
    **dict.fromkeys(CONTROLS),  # NUL and other controls: never meant, and PostgreSQL refuses NUL
    **dict.fromkeys(map(ord, INVISIBLE)),
    **dict.fromkeys(map(ord, SPACES), " "),
    **dict.fromkeys(map(ord, "\r\n\t"), " "),
}
_CLEAN_LINES = {**_CLEAN, **{ord(ch): ch for ch in "\r\n\t"}}


def clean(text: str, *, multiline: bool = False) -> str:
    """Text without control or invisible characters, odd spaces made plain, stripped."""
    # one C-level pass: a 10,000-row ledger has 300,000 cells
    return text.translate(_CLEAN_LINES if multiline else _CLEAN).strip()


def visible(text: str) -> str:
    """Text with invisible and control characters spelled out, e.g. 1.1<U+200B>."""
    return "".join(
        f"<U+{ord(ch):04X}>"
        if ch in INVISIBLE or ch in SPACES or (unicodedata.category(ch) == "Cc" and ch != "\n")
        else ch
        for ch in text
    )


def normal_code(text: str) -> str:
    """A code as stored: NFKC (full-width Ａ－０１ is A-01), invisible characters gone, trimmed."""
    return " ".join(unicodedata.normalize("NFKC", clean(text)).split())


def name(text: str) -> str:
    """A unit or person name: cleaned, spaces padding Chinese names (张  三) removed."""
    return CJK_GAP_RE.sub("", " ".join(clean(text).split()))


HEADER_KEYS = {key(n): col for col, names in ALIASES.items() for n in names}
STATUS_KEYS = {key(n): s for s, names in STATUSES.items() for n in (*names, s.value)}
LONG_TERM_KEYS = frozenset(key(w) for w in LONG_TERM_WORDS)
IMMEDIATE_KEYS = frozenset(key(w) for w in IMMEDIATE_WORDS)
STATUS_WORDS = tuple(w for names in STATUSES.values() for w in names)


def parse_status(value: str) -> Status | None:
    """A status from its Chinese or English name (or stored value); None when unknown or empty."""
    return STATUS_KEYS.get(key(value))


def is_immediate(value: object) -> bool:
    """True for 立行立改: due at once."""
    return isinstance(value, str) and key(value) in IMMEDIATE_KEYS


def split_units(value: str) -> tuple[str, ...]:
    """Co-units from one cell, in order, without blanks or repeats."""
    parts = (name(p) for p in UNIT_SPLIT_RE.split(value))
    return tuple(dict.fromkeys(p for p in parts if p))


def parse_people(value: str, *, keep_notes: bool = False) -> tuple[tuple[str, str], ...]:
    """(name, phone) for each person in a cell: 周强（13800001111）、孙磊 → 周强+phone, 孙磊.

    A note in brackets (a post, 联络员) is dropped unless keep_notes: leaders are often named
    by post, 管委会副主任（分管城建）, where the note is what tells two of them apart.
    """
    out: dict[str, str] = {}
    for part in PEOPLE_SPLIT_RE.split(clean(value)):
        phones = PHONE_RE.findall(unicodedata.normalize("NFKC", part))

        def bracket(m: re.Match[str]) -> str:
            note = unicodedata.normalize("NFKC", m[0])
            return m[0] if keep_notes and not PHONE_RE.search(note) else ""

        bare = PHONE_RE.sub("", BRACKETS_RE.sub(bracket, part))
        person = name(PHONE_LABEL_RE.sub("", bare)).strip(" :：-")
        if person and person not in out:
            out[person] = phones[0] if phones else ""
    return tuple(out.items())


def _serial(value: float) -> date:
    if not 0 < value < 2958466:  # Excel's own range of dates
        raise ValueError(f"not an Excel date serial: {value!r}")
    day = EXCEL_EPOCH + timedelta(days=int(value))
    if day.year not in SERIAL_YEARS:
        raise ValueError(f"implausible Excel date serial: {value!r}")
    return day


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


FIRST_DEADLINE, LAST_DEADLINE = date(2000, 1, 1), date(2099, 12, 31)  # a typo's year, not a plan's


def parse_deadline(value: object) -> date | None:
    """A deadline cell as a date from 2000 to 2099, or None for long-term; ValueError otherwise."""
    found = _deadline(value)
    if found is not None and not FIRST_DEADLINE <= found <= LAST_DEADLINE:
        raise ValueError(f"deadline out of range: {found.isoformat()}")
    return found


def _deadline(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean(value))).casefold()
    if key(text) in LONG_TERM_KEYS:
        return None
    for pattern in DATE_RES:
        if m := pattern.fullmatch(text):
            return date(int(m[1]), int(m[3]), int(m[4]))
    if m := QUARTER_RE.fullmatch(text):
        year, q = (m[1], m[2]) if m[1] else (m[3], m[4])
        return _month_end(int(year), 3 * (int(q) if q in "1234" else QUARTER_DIGITS[q]))
    if (m := MONTH_END_RE.fullmatch(text)) and text != m[1] + "年":
        # 2024年9月底 (end of September) and 2024年底前 (end of year) are how ledgers set deadlines
        return _month_end(int(m[1]), int(m[2] or 12))
    raise ValueError(f"not a date: {value!r}")


# a single cell such as "备注：..." or "注：..." below the table ends it
NOTE_RE = re.compile(r"(?:备注|附注|注|说明|填表说明|notes?\b)", re.I)


def cell_text(cell: object) -> str:
    """A cell as clean text; integral floats lose their '.0' and 1.1 stays '1.1'."""
    if cell is None or cell is FORMULA:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime) and cell == datetime.combine(cell.date(), datetime.min.time()):
        return cell.date().isoformat()
    return clean(str(cell), multiline=True)


def shown(value: object) -> str:
    """A raw value short enough to quote back, invisible characters made visible."""
    if value is None or value is FORMULA:
        return ""
    text = visible(str(value).strip(" "))
    return text if len(text) <= 80 else text[:79] + "…"


def is_note(cells: tuple[object, ...]) -> bool:
    """A note line: one filled cell starting 备注/注/说明."""
    filled = None
    for cell in cells:
        if cell is not None and cell != "" and (text := cell_text(cell)):
            if filled is not None:
                return False  # a data row: two cells filled, no need to clean the rest
            filled = text
    return filled is not None and bool(NOTE_RE.match(filled))


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 → A, 27 → AB."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
