"""An owner's note read the way the office writes it: progress first, then 下一步 (next step)."""

from __future__ import annotations

import re
import unicodedata

# the words offices start the plan with; the longest first so 下一步工作打算 wins over 下一步
_MARKERS = (
    "下一步工作打算",
    "下一步工作计划",
    "下一步计划",
    "下一步打算",
    "下步打算",
    "下步计划",
    "下一步",
    "下步",
    "next steps",
    "next step",
)
_SEPARATORS = ":：是为,，、 \t"
_COLONS = ":："
_START = re.compile(r"(?:^|(?<=[\n。；;！!？?.，,]))\s*", re.MULTILINE)


def _marker_at(text: str, at: int) -> int:
    """The length of the marker starting at `at` (with its separator), or 0."""
    lowered = text[at : at + 20].casefold()
    for marker in _MARKERS:
        if lowered.startswith(marker):
            end = at + len(marker)
            # a marker must be followed by a separator ("下一步骤" is prose); English wants a colon
            allowed = _COLONS if marker.isascii() else _SEPARATORS
            if end < len(text) and text[end] in allowed:
                while end < len(text) and text[end] in _SEPARATORS:
                    end += 1
                return end - at
            return 0
    return 0


def split_next_step(note: str) -> tuple[str, str]:
    """(progress, next step): the part after a 下一步/Next step marker that opens a sentence."""
    text = unicodedata.normalize("NFC", note).strip()
    for match in _START.finditer(text):
        at = match.end()
        size = _marker_at(text, at)
        if size:
            progress = text[:at].strip().rstrip("；;，,")
            return progress, text[at + size :].strip()
    return text, ""
