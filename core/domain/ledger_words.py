"""The words and values offices write in ledgers: header names, statuses, deadlines, people."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime

from core.domain.ledger_io import FORMULA
from core.domain.model import Status

# Header names, compared after key(); 序号 is deliberately absent: it is a row count, not a code.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("编号", "措施编号", "整改编号", "code"),
    "area": ("方面", "整改方面", "area"),
    "problem": ("问题", "存在问题", "反馈问题", "问题清单", "problem"),
    "measure": ("整改措施", "措施", "整改举措", "measure"),
    "leader": ("责任领导", "分管领导", "responsible leader", "leader"),
    "lead_unit": ("牵头单位", "牵头部门", "lead unit"),
    "co_units": ("责任单位", "责任部门", "配合单位", "协办单位", "co-units", "co units"),
    "owner": ("责任人", "联络员", "具体责任人", "owner"),
    "deadline": ("完成时限", "整改时限", "时限", "完成时间", "deadline", "due date"),
    "status": (
        "状态",
        "整改状态",
        "完成情况",
        "整改完成情况",
        "完成状态",
        "当前状态",
        "status",
    ),
    "progress": ("进展情况", "整改进展", "进展", "最新进展", "latest progress", "progress"),
    # the bot's own export writes these two: they read back (co-owners and phones ride in owner)
    "original": ("原完成时限", "original deadline"),
    # 联系人 / 联系电话 give phones; 联系人 is the owner only when there is no owner column
    "contact": ("联系人", "联系电话", "联系方式", "电话", "手机", "contact", "phone"),
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
        "持续整改",
        "部分完成",
        "in progress",
    ),
    Status.LONG_TERM: ("长期坚持", "长期", "long-term", "ongoing"),
    Status.PENDING_SIGNOFF: ("待销号", "申请销号", "pending sign-off", "awaiting sign-off"),
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
# words whose meaning is not one status: refused with the words understood, never guessed
AMBIGUOUS_STATUSES = ("基本完成", "基本完成整改", "大部分完成")
LONG_TERM_WORDS = ("长期", "长期坚持", "持续推进", "long-term", "ongoing")
IMMEDIATE_WORDS = ("立行立改", "immediate", "immediately")
DEADLINE_FORMS = (
    "2024-09-30", "2024/9/30", "2024.9.30", "2024年9月30日", "2024年12月底前", "2024年底前",
    "2024年第三季度", "2025年上半年", "2024.10.31前", "长期坚持", "立行立改",
)  # fmt: skip
CODE_MAX = 50  # Measure.code column
NAME_MAX = 300  # Person.name and Unit.name columns
CONTACT_MAX = 100  # Person.contact column
TEXT_MAX = 2000
# a ledger repeats its units, leaders and deadlines row after row: each is read once
CACHED = 8192

STATUS_NOTE_RE = re.compile(r"(.+?)\s*[（(【\[]([^）)】\]]*)[）)】\]]\s*")
UNIT_SEPARATORS = frozenset("、，,;；\r\n")
OPENING, CLOSING = frozenset("（(【["), frozenset("）)】]")
OPENING_RE = re.compile(r"[（(【\[]")
_SPLITTERS: dict[frozenset[str], re.Pattern[str]] = {}
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
# whether a cell needs _CLEAN at all: a regex search is a C loop, while translate() with a dict
# looks every character up in Python's dict (a 10,000-row ledger has 300,000 cells, nearly all clean)
_DIRTY = re.compile("[" + re.escape("".join(map(chr, _CLEAN))) + "]")
_DIRTY_LINES = re.compile(
    "[" + re.escape("".join(chr(c) for c, v in _CLEAN_LINES.items() if v != chr(c))) + "]"
)


def clean(text: str, *, multiline: bool = False) -> str:
    """Text without control or invisible characters, odd spaces made plain, stripped."""
    if multiline:
        return (text.translate(_CLEAN_LINES) if _DIRTY_LINES.search(text) else text).strip()
    return (text.translate(_CLEAN) if _DIRTY.search(text) else text).strip()


def visible(text: str) -> str:
    """Text with invisible and control characters spelled out, e.g. 1.1<U+200B>."""
    return "".join(
        f"<U+{ord(ch):04X}>"
        if ch in INVISIBLE or ch in SPACES or (unicodedata.category(ch) == "Cc" and ch != "\n")
        else ch
        for ch in text
    )


def normal_code(text: str) -> str:
    """A code as stored: NFKC (full-width Ａ－０１ is A-01), invisible characters gone, trimmed.

    Full-width brackets stay: （一） is shown as the office wrote it; code_key folds it to sort.
    """
    folded = "".join(
        ch if ch in KEPT_IN_CODES else unicodedata.normalize("NFKC", ch) for ch in clean(text)
    )
    return " ".join(folded.split())


KEPT_IN_CODES = frozenset("（）")


@functools.lru_cache(maxsize=CACHED)
def name(text: str) -> str:
    """A unit or person name: cleaned, spaces padding Chinese names (张  三) removed."""
    return CJK_GAP_RE.sub("", " ".join(clean(text).split()))


HEADER_KEYS = {key(n): col for col, names in ALIASES.items() for n in names}
STATUS_KEYS = {key(n): s for s, names in STATUSES.items() for n in (*names, s.value)}
LONG_TERM_KEYS = frozenset(key(w) for w in LONG_TERM_WORDS)
IMMEDIATE_KEYS = frozenset(key(w) for w in IMMEDIATE_WORDS)
STATUS_WORDS = tuple(w for names in STATUSES.values() for w in names)


def header_names(column: str) -> tuple[str, ...]:
    """The header names a column may have; a lone 联系人 column names the owner too."""
    names = ALIASES[column]
    return (*names[:-1], "联系人", names[-1]) if column == "owner" else names


def parse_status(value: str) -> Status | None:
    """A status from its Chinese or English name (or stored value); None when unknown or empty.

    A status in brackets qualifies the one before it: 已完成（待销号） is awaiting sign-off.
    """
    found = STATUS_KEYS.get(key(value))
    if found is not None or not value:
        return found
    m = STATUS_NOTE_RE.fullmatch(clean(value))
    if m is None:
        return None
    inner, outer = STATUS_KEYS.get(key(m[2])), STATUS_KEYS.get(key(m[1]))
    return inner or outer


def is_immediate(value: object) -> bool:
    """True for 立行立改: due at once."""
    return isinstance(value, str) and key(value) in IMMEDIATE_KEYS


def split_outside(text: str, separators: frozenset[str]) -> list[str]:
    """Split at separators outside brackets: 管委会副主任（分管城建、规划） stays whole."""
    if not OPENING_RE.search(text):
        # no brackets (most cells): one C-level split
        found = _SPLITTERS.get(separators)
        if found is None:
            found = _SPLITTERS[separators] = re.compile(f"[{re.escape(''.join(separators))}]")
        return found.split(text)
    parts: list[str] = []
    start = depth = 0
    for i, ch in enumerate(text):
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING and depth:
            depth -= 1
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


@functools.lru_cache(maxsize=CACHED)
def split_units(value: str) -> tuple[str, ...]:
    """Co-units from one cell, in order, without blanks or repeats."""
    parts = (name(p) for p in split_outside(value, UNIT_SEPARATORS))
    return tuple(dict.fromkeys(p for p in parts if p))


# a single cell such as "备注：..." or "注：..." below the table ends it
NOTE_RE = re.compile(r"(?:备注|附注|注|说明|填表说明|notes?\b)", re.I)
# a footer line ends the table whatever else it holds: totals, who filled it in, who checked it
FOOTER_RE = re.compile(
    r"(?:合\s*计|总\s*计|填表人|填报人|制表人|审核人|审核|联系人|联系电话|负责人|单位负责人|签发人)",
    re.I,
)


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


def table_end(cells: tuple[object, ...]) -> str:
    """The words of a line that ends the table (a note, a 合计 or 填表人 line), else ""."""
    first, more = "", False
    for cell in cells:
        if cell is not None and cell != "" and (text := cell_text(cell)):
            if first:
                more = True
                break
            first = text
            if not FOOTER_RE.match(first) and not NOTE_RE.match(first):
                return ""  # one look at the first filled cell settles most rows
    if not first or (more and not FOOTER_RE.match(first)):
        return ""
    filled = [text for cell in cells if cell is not None and (text := cell_text(cell))]
    return shown(" ".join(filled))


def column_letter(index: int) -> str:
    """Spreadsheet column letters for a 0-based index: 0 → A, 27 → AB."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
