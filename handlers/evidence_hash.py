"""Evidence fingerprinted as it is saved: each file up to 20 MB fetched once and hashed."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from telegram import Bot

from core.domain.evidence import digest
from handlers.bot_files import BotFiles
from handlers.drafts import Evidence as EvidenceDraft
from storage.answers import Evidence


async def fingerprinted(bot: Bot, files: Iterable[EvidenceDraft]) -> tuple[Evidence, ...]:
    """The files with their SHA-256; a file Telegram does not hand over keeps none (the binder
    hashes it when it gets it)."""
    out = []
    for f in files:
        got = await BotFiles(bot).fetch(f.file_id, f.size)
        sha = digest(got) if isinstance(got, bytes) else None
        out.append(Evidence(**dataclasses.asdict(f), sha256=sha))
    return tuple(out)
