"""A new programme's name from its ledger: the title line above the header, else the file name."""

from __future__ import annotations

import re
from pathlib import PurePath

from core.domain.ledger_io import Row
from core.domain.ledger_words import cell_text

MAX_NAME = 100  # as /newprogramme takes
# what follows the programme's own name in a title: 巡视整改(工作)台账, Audit findings ledger
_LEDGER_WORDS = re.compile(
    r"\s*(?:(?:工作|落实|措施|任务)?(?:台账|清单|一览表)|(?:rectification\s+)?ledger)$", re.I
)
_COLON = re.compile(r"[:：]")  # 填报单位：…, 日期：… are lines about the form, not its title
_ATTACHMENT = re.compile(
    r"附[件表]\s*[0-9一二三四五六七八九十]*"
)  # 附件1 stands above a 公文's title


def title_of(above: list[Row]) -> str:
    """The title line of the rows above a ledger's header: the first lone text with no colon."""
    for _, cells in above:
        texts = [t for c in cells if (t := cell_text(c).strip())]
        if len(texts) == 1 and _ATTACHMENT.fullmatch(texts[0]):
            continue
        if len(texts) == 1 and not _COLON.search(texts[0]):
            return " ".join(texts[0].split())
        if texts:
            return ""  # the first written line is not a title: a later one would be a guess
    return ""


def _name(text: str) -> str:
    """A title's programme name: without its ledger word, 整改 not said twice."""
    name = _LEDGER_WORDS.sub("", text).strip()
    while name.endswith("整改整改"):
        name = name[: -len("整改")]
    return name


def programme_name(title: str, filename: str) -> tuple[str, bool]:
    """The name for a programme made from this file, and whether its title gave it (else the
    file name did)."""
    stem = PurePath(filename).stem.strip()
    for candidate, titled in ((_name(title), True), (_name(stem), False), (stem, False)):
        if candidate and len(candidate) <= MAX_NAME:
            return candidate, titled
    return stem[:MAX_NAME], False  # a name this long is no one's choice: the file's, cut
