"""UserDrafts as the JSON row DbPersistence keeps, and back, tolerant of rows of older code."""

from __future__ import annotations

import dataclasses
import functools
import logging
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from handlers.drafts import UserDrafts
from storage.persistence import UserDataCodec

log = logging.getLogger(__name__)
VERSION = 1


class Unfit(ValueError):
    """A stored value does not have the shape its field declares."""


# read once: every update writes its person's drafts, and get_type_hints is slow
_hints = functools.cache(get_type_hints)
_EMPTY = UserDrafts()
_NAMES = tuple(f.name for f in dataclasses.fields(UserDrafts))


def encode(data: UserDrafts) -> dict[str, Any]:
    """The drafts as plain JSON: only fields that differ from their default, plus the version."""
    out: dict[str, Any] = {"v": VERSION}
    for name in _NAMES:
        value = getattr(data, name)
        if value != getattr(_EMPTY, name):
            plain = dataclasses.is_dataclass(value) and not isinstance(value, type)
            out[name] = dataclasses.asdict(value) if plain else value
    return out


def decode(stored: object) -> UserDrafts:
    """The drafts a row holds. A row of the earlier dict-shaped user_data (no "v") uses the same
    keys, so it is read too; a field that no longer fits is dropped, never raised: a draft
    lost after an upgrade is a shrug, a bot that fails every update of the person is not."""
    data = UserDrafts()
    if not isinstance(stored, dict):
        return data
    hints = _hints(UserDrafts)
    for name in _NAMES:
        if name not in stored:
            continue
        try:
            setattr(data, name, _build(hints[name], stored[name]))
        except (Unfit, TypeError, ValueError) as e:
            log.warning("dropped the stored %s draft (version %s): %s", name, stored.get("v"), e)
    return data


def refill(data: UserDrafts, fresh: UserDrafts) -> None:
    """Make data (the object PTB holds) what fresh is, in place."""
    for name in _NAMES:
        setattr(data, name, getattr(fresh, name))


def _build(tp: Any, raw: object) -> Any:
    """raw (parsed JSON) as a value of type tp, or Unfit."""
    origin, args = get_origin(tp), get_args(tp)
    if origin in (Union, types.UnionType):
        if raw is None and type(None) in args:
            return None
        for arm in (a for a in args if a is not type(None)):
            try:
                return _build(arm, raw)
            except (Unfit, TypeError, ValueError):
                continue
        raise Unfit(f"{raw!r} is not {tp}")
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        if not isinstance(raw, dict):
            raise Unfit(f"{raw!r} is not a {tp.__name__}")
        hints = _hints(tp)  # the fields' types, by name: a key no field has is ignored
        return tp(**{k: _build(hints[k], v) for k, v in raw.items() if k in hints})
    if origin is list:
        if not isinstance(raw, list):
            raise Unfit(f"{raw!r} is not a list")
        return [_build(args[0], x) for x in raw]
    if origin is tuple:
        if not isinstance(raw, list | tuple) or len(raw) != len(args):
            raise Unfit(f"{raw!r} is not a {len(args)}-tuple")
        return tuple(_build(a, x) for a, x in zip(args, raw, strict=True))
    if origin is dict:
        if not isinstance(raw, dict):
            raise Unfit(f"{raw!r} is not a mapping")
        return {_build(args[0], k): _build(args[1], v) for k, v in raw.items()}
    if tp is Any:
        return raw
    # JSON's bool is not an int here, nor an int a str
    if tp in (int, str, bool, float) and type(raw) is tp:
        return raw
    raise Unfit(f"{raw!r} is not {getattr(tp, '__name__', tp)}")


CODEC = UserDataCodec(encode=encode, decode=decode, refill=refill)
