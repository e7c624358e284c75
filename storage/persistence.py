"""PTB persistence in our database, so conversations survive a restart."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, delete, select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.db import Database
from storage.models_people import PtbState

UserData = Any  # the application's user_data type: this floor keeps it as the codec says


@dataclass(frozen=True)
class UserDataCodec:
    """How one user's data becomes a JSON value and back (handlers.drafts_codec for typed
    drafts); refill makes the object PTB holds equal to a fresh one, in place."""

    encode: Callable[[Any], object]
    decode: Callable[[object], Any]
    refill: Callable[[Any, Any], None]


def _refill_dict(data: dict[Any, Any], fresh: dict[Any, Any]) -> None:
    data.clear()
    data.update(fresh)


PLAIN = UserDataCodec(
    encode=lambda d: d, decode=lambda o: o if isinstance(o, dict) else {}, refill=_refill_dict
)


class DbPersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    """Keeps user_data and conversation states as JSON rows; bot and chat data stay in memory."""

    def __init__(
        self,
        database: Callable[[], Database],
        update_interval: float = 5,
        shared: bool = False,
        codec: UserDataCodec = PLAIN,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._db = database
        self._codec = codec
        # shared: other replicas write too (webhook mode), so every update reads the rows afresh
        self.shared = shared
        # what the database holds, as far as this process knows: PTB asks to store every
        # user's data after each of their updates, and an unchanged row is not written again
        # (a read-only command must not wait for a long import's write lock on SQLite)
        self._stored: dict[str, str] = {}
        self._pending: dict[str, str | None] = {}  # rows to write in the next transaction
        self._batch: asyncio.Future[None] | None = None

    async def _put(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False)
        if self._stored.get(key) != text:
            await self._write(key, text)

    async def _write(self, key: str, text: str | None) -> None:
        """Store (None: delete) a row; the writes PTB gathers after one update share a transaction."""
        self._pending[key] = text
        if self._batch is None:
            self._batch = asyncio.ensure_future(self._flush_pending())
        await asyncio.shield(self._batch)

    async def _flush_pending(self) -> None:
        await asyncio.sleep(0)  # the other writes of this update_persistence() join the batch
        batch, self._pending, self._batch = self._pending, {}, None
        upserts = [{"key": k, "value": v} for k, v in batch.items() if v is not None]
        gone = [k for k, v in batch.items() if v is None]
        table = PtbState.__table__  # type: ignore[attr-defined]
        async with self._db().engine.begin() as conn:  # Core: no ORM objects for a JSON row
            if upserts:
                await conn.execute(_upsert(conn.dialect.name), upserts)
            if gone:
                await conn.execute(table.delete().where(table.c.key.in_(gone)))
        for key, text in batch.items():
            if text is None:
                self._stored.pop(key, None)
            else:
                self._stored[key] = text

    async def _load(self, prefix: str) -> dict[str, Any]:
        async with self._db().session() as s:
            rows = (
                await s.exec(select(PtbState).where(col(PtbState.key).startswith(prefix)))
            ).all()
        self._stored.update({r.key: r.value for r in rows})
        return {r.key[len(prefix) :]: json.loads(r.value) for r in rows}

    async def get_user_data(self) -> dict[int, UserData]:
        """Every user's data."""
        loaded = await self._load("user:")
        return {int(k): self._codec.decode(v) for k, v in loaded.items()}

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        """Store one user's data."""
        await self._put(f"user:{user_id}", self._codec.encode(data))

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        """Replicas: read the user's data afresh (another replica may have had their last update)."""
        if not self.shared:
            return  # this process is the only writer
        async with self._db().session() as s:
            row = await s.get(PtbState, f"user:{user_id}")
            fresh = self._codec.decode(json.loads(row.value) if row is not None else {})
        if row is not None:
            self._stored[row.key] = row.value
        else:
            self._stored.pop(f"user:{user_id}", None)
        self._codec.refill(user_data, fresh)

    async def drop_user_data(self, user_id: int) -> None:
        """Forget a user's data."""
        await self._write(f"user:{user_id}", None)

    async def get_conversations(self, name: str) -> ConversationDict:
        """The stored states of one conversation handler (one row per conversation)."""
        conv: ConversationDict = {}
        legacy: ConversationDict = {}
        for raw, state in (await self._load(f"conv:{name}")).items():
            if raw == "":  # the earlier layout: every conversation of the handler in one row
                legacy = {tuple(key): value for key, value in state}
            elif raw.startswith(":"):
                conv[tuple(json.loads(raw[1:]))] = state
        if legacy:  # moved to a row each, once
            for key, state in legacy.items():
                await self._put(_conv_key(name, key), state)
            async with self._db().session() as s:
                await s.exec(delete(PtbState).where(col(PtbState.key) == f"conv:{name}"))
        return {**legacy, **conv}

    async def conversation(self, name: str, key: ConversationKey) -> object | None:
        """One conversation's stored state, or None (replicas read it before each update)."""
        async with self._db().session() as s:
            row = await s.get(PtbState, _conv_key(name, key))
        if row is None:
            self._stored.pop(_conv_key(name, key), None)
            return None
        self._stored[row.key] = row.value
        state: object = json.loads(row.value)
        return state

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store one conversation's state change in its own row: replicas never overwrite
        each other's conversations."""
        if new_state is None:
            await self._write(_conv_key(name, key), None)
        else:
            await self._put(_conv_key(name, key), new_state)

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Chat data is not persisted."""
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not persisted."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not persisted."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not persisted."""

    async def get_bot_data(self) -> dict[Any, Any]:
        """Bot data holds live resources, so it is never persisted."""
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Bot data is not persisted."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Bot data is not persisted."""

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used."""
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        """Arbitrary callback data is not used."""

    async def flush(self) -> None:
        """Every change is written at once, so there is nothing to flush."""


@cache
def _upsert(dialect: str) -> Any:
    """The row upsert, built once: `excluded` is an alias whose columns are rebuilt per use.

    An upsert, not merge(): another task or replica may write the same key.
    """
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(PtbState.__table__)  # type: ignore[attr-defined]
    return stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value})


def _conv_key(name: str, key: ConversationKey) -> str:
    return f"conv:{name}:{json.dumps(list(key))}"
