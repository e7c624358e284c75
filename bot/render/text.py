"""Cutting long text into messages Telegram accepts."""

from __future__ import annotations

from telegram.constants import MessageLimit

LIMIT = MessageLimit.MAX_TEXT_LENGTH


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Cut text into chunks under the limit, at line breaks where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks
