"""People in a ledger cell: 周强（13800001111）、孙磊 → 周强 with a phone, and 孙磊."""

from __future__ import annotations

import functools
import re
import unicodedata

from core.domain.ledger_words import CACHED, clean, name, split_outside

PEOPLE_SEPARATORS = frozenset("、，,;；/／\r\n")
SPACES = frozenset(" \t\u3000")
SPACE_RE = re.compile("[ \t\u3000]")
BRACKETS_RE = re.compile(r"[（(【\[]([^）)】\]]*)[）)】\]]?")
PHONE_RE = re.compile(r"(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8}")
PHONE_LABEL_RE = re.compile(r"(?:电话|手机|联系电话|tel\.?|phone)[:：]?", re.I)
CJK_NAME_RE = re.compile(r"[\u3400-\u9fff·]{2,}")


def _names_by_space(part: str) -> list[str]:
    """吴芳 钱进 are two people; 张  三 (a name padded to three characters) is one."""
    if not SPACE_RE.search(part):
        return [part]
    words = [w for w in split_outside(part, SPACES) if w]
    names: list[str] = []
    for word in words:
        bare = PHONE_RE.sub("", BRACKETS_RE.sub("", PHONE_LABEL_RE.sub("", word))).strip(" :：-")
        if names and not bare:
            names[-1] += " " + word  # a phone or a bracket note belongs to the name before it
        else:
            names.append(word)
    bare_names = [BRACKETS_RE.sub("", PHONE_RE.sub("", n.split(" ")[0])) for n in names]
    if len(names) > 1 and all(CJK_NAME_RE.fullmatch(b) for b in bare_names):
        return names
    return [part]


@functools.lru_cache(maxsize=CACHED)
def parse_people(value: str, *, keep_notes: bool = False) -> tuple[tuple[str, str], ...]:
    """(name, phone) for each person in a cell, in order, without repeats.

    Separators inside brackets do not separate. A note in brackets (a post, 联络员) is dropped
    unless keep_notes: leaders are often named by post, 管委会副主任（分管城建、规划）, where the
    note is what tells two of them apart.
    """
    out: dict[str, str] = {}
    for cell_part in split_outside(clean(value), PEOPLE_SEPARATORS):
        for part in _names_by_space(cell_part.strip()):
            phones = PHONE_RE.findall(unicodedata.normalize("NFKC", part))

            def bracket(m: re.Match[str]) -> str:
                note = unicodedata.normalize("NFKC", m[0])
                return m[0] if keep_notes and not PHONE_RE.search(note) else ""

            bare = PHONE_RE.sub("", BRACKETS_RE.sub(bracket, part))
            person = name(PHONE_LABEL_RE.sub("", bare)).strip(" :：-")
            if person and person not in out:
                out[person] = phones[0] if phones else ""
    return tuple(out.items())
