"""The callback codec: a frozen dataclass per button kind, packed as `prefix:field:…` in 64 bytes.

Callback data comes back from the client and can be forged, so every field is validated on
the way in (ASCII digits only, closed sets of words, well-formed digests) and every packed
value must fit Telegram's 1–64 bytes. The callbacks_* modules declare their kinds with it;
handlers receive the decoded dataclass, never the raw string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import Any, ClassVar, Self, TypeVar

from core.domain.numbers import ascii_int
from core.render.limits import data_fits

MAX_ID = 2**31 - 1  # database ids are 32-bit on PostgreSQL: a larger forged id must not reach it
MAX_PAGE = 999
_HEX16 = re.compile(r"[0-9a-f]{16}")

Field = Callable[[str], Any]
KINDS: dict[str, type[Button]] = {}
B = TypeVar("B", bound="Button")


class CallbackError(ValueError):
    """Callback data that no button of ours could have sent."""


def ident(text: str) -> int:
    """A database id field."""
    value = ascii_int(text, 1, MAX_ID)
    if value is None or text != str(value):  # no leading zeros: one value, one spelling
        raise CallbackError(f"not an id: {text!r}")
    return value


def page(text: str) -> int:
    """A page (or place in a list) field, from 0."""
    value = ascii_int(text, 0, MAX_PAGE)
    if value is None or text != str(value):
        raise CallbackError(f"not a page: {text!r}")
    return value


def one_of(*words: str) -> Field:
    """A field that takes one word of a closed set."""

    def parse(text: str) -> str:
        if text not in words:
            raise CallbackError(f"not one of {words}: {text!r}")
        return text

    return parse


def hex16(text: str) -> str:
    """A digest field: 16 lowercase hex digits."""
    if not _HEX16.fullmatch(text):
        raise CallbackError(f"not a digest: {text!r}")
    return text


@dataclass(frozen=True)
class Button:
    """Base of every button kind: PREFIX plus one parser per field, in field order."""

    PREFIX: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[Field, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        KINDS[cls.PREFIX] = cls  # every kind is known by its prefix once its module is loaded

    def check(self) -> None:
        """Rules across fields; raise CallbackError when they do not hold."""

    def pack(self) -> str:
        """The callback data; ValueError if it would not round-trip or fit in 64 bytes."""
        data = ":".join([self.PREFIX, *(str(v) for v in astuple(self))])
        if not data_fits(data) or unpack(data) != self:
            raise ValueError(f"cannot pack {self!r}")
        return data

    @classmethod
    def parse(cls, parts: list[str]) -> Self:
        """Build from the fields after the prefix; CallbackError on any bad field."""
        if len(parts) != len(cls.FIELDS):
            raise CallbackError(f"{cls.__name__} takes {len(cls.FIELDS)} fields")
        button = cls(*(parse(part) for parse, part in zip(cls.FIELDS, parts, strict=True)))
        button.check()
        return button


def encode(button: Button) -> str:
    """The callback data of a button (ValueError if it would not come back as itself)."""
    return button.pack()


def unpack(data: object) -> Button:
    """The button behind callback data; CallbackError if no button of ours sends it."""
    if not isinstance(data, str) or not data or not data_fits(data):
        raise CallbackError("empty, not text or too long")
    prefix, _, rest = data.partition(":")
    kind = KINDS.get(prefix)
    if kind is None or not rest:
        raise CallbackError(f"unknown button {prefix!r}")
    return kind.parse(rest.split(":"))


def decode(data: object, kind: type[B]) -> B | None:
    """The button of this kind behind callback data, or None when forged, stale or another's."""
    try:
        button = unpack(data)
    except CallbackError:
        return None
    return button if isinstance(button, kind) else None


def pattern(kind: type[Button]) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: the data names this kind, whatever its fields."""
    # fields are checked by decode: a forged press still reaches the handler that answers it

    def matches(data: object) -> bool:
        if not isinstance(data, str):
            return False
        found = KINDS.get(data.partition(":")[0])
        return found is not None and issubclass(found, kind)

    return matches
