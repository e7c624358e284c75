"""Telegram's documented Bot API limits in one place, and text that fits them.

Sources: core.telegram.org/bots/api (sendMessage, InlineKeyboardButton, answerCallbackQuery,
BotCommand, sendMediaGroup, sending files). Text lengths are counted after entity parsing in
UTF-16 code units, as Telegram counts them: an emoji outside the BMP counts twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MESSAGE_TEXT = (1, 4096)  # UTF-16 code units
CAPTION = (0, 1024)  # UTF-16 code units
CALLBACK_DATA = (1, 64)  # bytes of UTF-8
INLINE_BUTTONS = 100  # buttons in one inline keyboard
CALLBACK_ANSWER = (0, 200)  # answerCallbackQuery text, characters
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
COMMAND_DESCRIPTION = (1, 256)
# older Bot API versions (and some clients) still ask for 3; our own menus meet the stricter rule
COMMAND_DESCRIPTION_SAFE_MIN = 3
COMMANDS_PER_SCOPE = 100
MEDIA_GROUP = (2, 10)
UPLOAD_BYTES = 50 * 1024 * 1024
PHOTO_UPLOAD_BYTES = 10 * 1024 * 1024  # larger photos go as documents
DOWNLOAD_BYTES = 20 * 1024 * 1024
ELLIPSIS = "…"
# where a cut may fall, best first: end of clause, then any space, then a CJK character boundary
_CLAUSE = re.compile(r"[。；;！？!?，,、：:）)」』”]\s*|\n")
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's text limits."""
    return len(text.encode("utf-16-le")) // 2


def data_fits(data: str) -> bool:
    """True when callback data is 1–64 bytes of UTF-8."""
    low, high = CALLBACK_DATA
    return low <= len(data.encode()) <= high


def _prefix(text: str, units: int) -> str:
    """The longest prefix of text with at most `units` UTF-16 code units."""
    total = 0
    for i, ch in enumerate(text):
        total += 2 if ord(ch) > 0xFFFF else 1
        if total > units:
            return text[:i]
    return text


def _boundary(head: str) -> int:
    """Where to cut head so no word or name is split; 0 when there is no such place."""
    floor = len(head) // 2  # never throw away more than half for a nicer cut
    for pattern in (_CLAUSE, _SPACE):
        ends = [m.end() if pattern is _CLAUSE else m.start() for m in pattern.finditer(head)]
        ends = [e for e in ends if e > floor]
        if ends:
            return ends[-1]
    # Chinese has no spaces: a cut between two Han characters is the word boundary we have
    for i in range(len(head) - 1, floor, -1):
        if _CJK.match(head[i - 1]) or _CJK.match(head[i]):
            return i
    return 0


ECHO = 100  # what a refusal quotes back of the user's input: enough to recognise it


def echo(text: str) -> str:
    """The user's input as a refusal quotes it: cut at a word boundary, never past a message."""
    return fit(text, ECHO)


def fit(text: str, limit: int, *, count: str = "utf16") -> str:
    """Text shortened to `limit` (UTF-16 units or characters) at a word boundary, ending in …."""
    size = utf16_len if count == "utf16" else len
    if size(text) <= limit:
        return text
    room = limit - size(ELLIPSIS)
    head = _prefix(text, room) if count == "utf16" else text[:room]
    if len(head) < len(text) and not text[len(head)].isspace():
        cut = _boundary(head)
        head = head[:cut] if cut else head
    return head.rstrip() + ELLIPSIS


def split_text(text: str, limit: int = MESSAGE_TEXT[1]) -> list[str]:
    """Chunks of at most `limit` UTF-16 units, cut at line breaks, else at word boundaries."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while utf16_len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            head = _prefix(line, limit)
            cut = _boundary(head) if not line[len(head)].isspace() else len(head)
            head = head[:cut] if cut else head
            chunks.append(head.rstrip())
            line = line[len(head) :].lstrip()
        candidate = f"{current}\n{line}" if current else line
        if utf16_len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip() or not chunks:
        chunks.append(current)
    return [c for c in chunks if c.strip()] or [text[:1] or " "]


@dataclass(frozen=True)
class Page:
    """One page of a long list: which items, and whether there are pages before or after."""

    start: int
    stop: int
    number: int
    count: int

    @property
    def has_prev(self) -> bool:
        """A page comes before this one."""
        return self.number > 0

    @property
    def has_next(self) -> bool:
        """A page comes after this one."""
        return self.number < self.count - 1


def page(total: int, size: int, number: int) -> Page:
    """Page `number` (clamped) of `total` items, `size` per page."""
    count = max(1, -(-total // size))
    number = min(max(number, 0), count - 1)
    return Page(number * size, min(total, (number + 1) * size), number, count)
