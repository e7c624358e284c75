"""DbPersistence round trips on SQLite and PostgreSQL: user data and conversation states."""

from __future__ import annotations

from sqlmodel import select

from storage.db import Database
from storage.models_people import PtbState
from storage.persistence import DbPersistence


async def test_user_data_round_trip(db_url: str) -> None:
    database = Database(db_url)
    try:
        store = DbPersistence(lambda: database)
        assert await store.get_user_data() == {}
        draft = {"draft": {"measure_id": 14, "note": "资金未到位", "files": [], "percent": 30}}
        await store.update_user_data(301, draft)
        await store.update_user_data(3010, {"lang": "en"})
        await store.update_user_data(301, {**draft, "step": 2})  # written again: one row
        again = DbPersistence(lambda: database)  # as after a restart
        assert await again.get_user_data() == {301: {**draft, "step": 2}, 3010: {"lang": "en"}}
        await again.drop_user_data(301)
        assert await store.get_user_data() == {3010: {"lang": "en"}}
        async with database.session() as s:
            keys = [r.key for r in (await s.exec(select(PtbState))).all()]
        assert keys == ["user:3010"]
    finally:
        await database.dispose()


async def test_conversation_states_round_trip(db_url: str) -> None:
    database = Database(db_url)
    try:
        store = DbPersistence(lambda: database)
        assert await store.get_conversations("answer") == {}
        await store.update_conversation("answer", (301, 301), 2)
        await store.update_conversation("answer", (302, 302), 5)
        await store.update_conversation("answers", (303, 303), 1)  # a name sharing the prefix
        await store.update_conversation("answer", (301, 301), 3)
        restarted = DbPersistence(lambda: database)
        assert await restarted.get_conversations("answer") == {(301, 301): 3, (302, 302): 5}
        assert await restarted.get_conversations("answers") == {(303, 303): 1}
        await restarted.update_conversation("answer", (302, 302), None)  # the conversation ended
        assert await DbPersistence(lambda: database).get_conversations("answer") == {(301, 301): 3}
        # bot and chat data hold live resources and are never stored
        await store.update_bot_data({"svc": object()})
        await store.update_chat_data(-1001, {"x": 1})
        assert (await store.get_bot_data(), await store.get_chat_data()) == ({}, {})
        assert await store.get_callback_data() is None
    finally:
        await database.dispose()
