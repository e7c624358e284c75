"""Inline keyboards as plain values: use cases and renderers build them without Telegram's
types, the outbox stores them as the Bot API's JSON, and only the edge makes PTB's markup."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Key:
    """One button: its words and what it does (callback data, a link, or a Mini App)."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    web_app: str | None = None  # the Mini App's URL: private chats only

    def to_dict(self) -> dict[str, Any]:
        """The Bot API's InlineKeyboardButton."""
        out: dict[str, Any] = {"text": self.text}
        if self.callback_data is not None:
            out["callback_data"] = self.callback_data
        if self.url is not None:
            out["url"] = self.url
        if self.web_app is not None:
            out["web_app"] = {"url": self.web_app}
        return out


class Keyboard:
    """Rows of keys, the Bot API's InlineKeyboardMarkup without the library."""

    __slots__ = ("inline_keyboard",)

    def __init__(self, rows: Iterable[Iterable[Key]]) -> None:
        self.inline_keyboard: tuple[tuple[Key, ...], ...] = tuple(tuple(r) for r in rows)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Keyboard) and other.inline_keyboard == self.inline_keyboard

    def __hash__(self) -> int:
        return hash(self.inline_keyboard)

    def __repr__(self) -> str:
        return f"Keyboard({self.inline_keyboard!r})"

    def to_dict(self) -> dict[str, Any]:
        """The Bot API's InlineKeyboardMarkup, as the outbox stores it."""
        return {"inline_keyboard": [[k.to_dict() for k in row] for row in self.inline_keyboard]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Keyboard:
        """A keyboard from the Bot API's JSON (a stored row, or a message's own buttons)."""
        return cls(
            [
                Key(
                    text=str(b.get("text", "")),
                    callback_data=b.get("callback_data"),
                    url=b.get("url"),
                    web_app=(b.get("web_app") or {}).get("url"),
                )
                for b in row
            ]
            for row in data.get("inline_keyboard", [])
        )
