"""Evidence you can trust: a file's fingerprint, and the same file used for another measure."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from core.domain.model import code_key


def digest(data: bytes) -> str:
    """The file's SHA-256, as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one evidence file of one measure: Telegram's id, and its hash once known."""

    code: str  # the measure it is evidence for
    file_unique_id: str
    sha256: str | None = None


def same_file(a: Fingerprint, b: Fingerprint) -> bool:
    """Telegram says it is one file, or the bytes are the same (a fresh upload of a copy)."""
    return a.file_unique_id == b.file_unique_id or (a.sha256 is not None and a.sha256 == b.sha256)


def used_for(file: Fingerprint, others: Iterable[Fingerprint]) -> list[str]:
    """The other measures the same file is already evidence for, in ledger order."""
    codes = {o.code for o in others if o.code != file.code and same_file(file, o)}
    return sorted(codes, key=code_key)
