"""The evidence binder (佐证资料) as data: which file goes where, and in which part; pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.domain.ledger_words import clean

MAX_DOWNLOAD = 20 * 1024 * 1024  # Telegram hands bots files up to 20 MB
MAX_PART = 48 * 1024 * 1024  # each ZIP stays under the 50 MB upload limit, with room for the index
MAX_EXTENSION = 10  # .docx, .jpeg, .tar.gz's .gz: longer after the last dot is no extension
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class Entry:
    """One evidence file of one measure, as the index lists it."""

    code: str
    measure: str
    name: str
    uploader: str
    uploaded_on: date
    update: str  # the progress note the file came with
    file_id: str
    size: int | None
    sha256: str | None = None  # as recorded; None until someone fetched the bytes
    evidence_id: int = 0

    @property
    def downloadable(self) -> bool:
        """Whether Telegram will hand the file to a bot at all."""
        return downloadable(self.size)


def downloadable(size: int | None) -> bool:
    """Telegram hands bots files up to 20 MB (a size it did not tell: worth a try)."""
    return size is None or size <= MAX_DOWNLOAD


def safe_name(text: str, limit: int = 40, *, file: bool = False) -> str:
    """A file or folder name any system accepts, cut at `limit` characters (a file's keeping its
    extension, so it still opens)."""
    cleaned = UNSAFE.sub("_", " ".join(clean(text).split())).strip(" .")
    stem, _, ext = cleaned.rpartition(".")
    if file and len(cleaned) > limit and stem and 0 < len(ext) <= MAX_EXTENSION and " " not in ext:
        return f"{stem[: limit - len(ext) - 1].rstrip(' .') or '_'}.{ext}"
    return cleaned[:limit].rstrip(" .") or "_"


def folder(code: str, measure: str) -> str:
    """One folder per measure: its code and a short title."""
    return safe_name(f"{code} {measure}", 40)


def unique_paths(entries: Sequence[Entry]) -> list[str]:
    """A path in the ZIP for each entry; a repeated name in a folder gets (2), (3)…."""
    seen: set[str] = set()
    paths = []
    for e in entries:
        base = f"{folder(e.code, e.measure)}/{safe_name(e.name, 80, file=True)}"
        path, n = base, 1
        while path in seen:
            n += 1
            stem, dot, ext = base.rpartition(".")
            path = f"{stem} ({n}).{ext}" if dot and "/" not in ext else f"{base} ({n})"
        seen.add(path)
        paths.append(path)
    return paths


def parts(sizes: Sequence[int], limit: int = MAX_PART) -> list[list[int]]:
    """Indexes of files per part, in order, each part's total under the limit (one big file alone)."""
    out: list[list[int]] = [[]]
    total = 0
    for i, size in enumerate(sizes):
        if out[-1] and total + size > limit:
            out.append([])
            total = 0
        out[-1].append(i)
        total += size
    return out
