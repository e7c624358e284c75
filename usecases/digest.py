"""What a review or a monthly report sends to its chat, and the measures its buttons carry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.render.plain_keys import Keyboard
from storage import lookup


@dataclass(frozen=True)
class Part:
    """One message of a digest: text (with buttons), or a file with its caption."""

    text: str
    markup: Keyboard | None = None
    file: tuple[str, str, bytes] | None = None  # (photo | document, filename, bytes)


@dataclass
class Digest:
    """What a review or report beat sends to its chat, computed before the period is claimed."""

    chat_id: int
    parts: list[Part]
    snapshot: dict[str, Any] | None = field(default=None)  # what the next review compares with


async def measure_ids(
    session: AsyncSession, programme_id: int, codes: Sequence[str]
) -> list[tuple[int, str]]:
    """(measure id, code) of the given codes, in their order: what the buttons carry."""
    ids = await lookup.ids_of_codes(session, programme_id=programme_id, codes=codes)
    return [(ids[code], code) for code in codes if code in ids]
