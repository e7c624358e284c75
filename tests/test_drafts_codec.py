"""The drafts' codec: typed user_data as JSON and back, and rows written before it (issue 23)."""

from __future__ import annotations

import json

from handlers.drafts import (
    AnswerDraft,
    CircularDraft,
    EditDraft,
    Evidence,
    LookBackDraft,
    PendingLedger,
    UserDrafts,
)
from handlers.drafts_codec import CODEC, decode, encode
from storage.db import Database
from storage.persistence import DbPersistence

PHOTO = Evidence("f1", "u1", "photo-u1.jpg", "photo", "image/jpeg", 2048)


def _full() -> UserDrafts:
    return UserDrafts(
        draft=AnswerDraft(
            id=3, programme_id=1, measure_id=14, code="1.3.2", health="at_risk", note="资金未到位",
            percent=30, files=[PHOTO], step=2, candidates=[14, 15], choices=[(14, "1.3.2")],
        ),
        draft_seq=3,
        lookback=LookBackDraft(id=7, verdict="holds", programme_id=1, files=[PHOTO]),
        circular=CircularDraft(
            id=2, programme_id=1, year=2024, month=9, units=["城管局"],
            mentions=[("praise", "城管局", "按期完成")], previewed=True, ranked=1, overdue=0,
        ),
        circular_sentence=("name", 0),
        ledger_edit=EditDraft(id=1, programme_id=1, code="9.9", wanted={"text": "新措施"}),
        ledger_import=PendingLedger("file", "台账.xlsx", "abc", None, sheets=["一", "二"]),
        naming=True,
    )  # fmt: skip


def test_round_trip_through_json_keeps_every_draft() -> None:
    drafts = _full()
    stored = json.loads(json.dumps(encode(drafts)))
    assert decode(stored) == drafts
    # only what differs from an empty UserDrafts is written, with the version
    assert encode(UserDrafts()) == {"v": 1}


def test_a_row_of_the_dict_shaped_user_data_is_read() -> None:
    """What the code before the dataclasses wrote for an answer at the percentage step."""
    old = {
        "draft_seq": 4,
        "draft": {
            "id": 4, "programme_id": 1, "measure_id": 14, "code": "1.3.2", "note": "已完成",
            "files": [{"file_id": "f1", "file_unique_id": "u1", "name": "photo-u1.jpg",
                       "kind": "photo", "mime_type": "image/jpeg", "size": 2048}],
            "signoff": False, "health": "on_track", "step": 2,
            "choices": [[14, "1.3.2"], [15, "1.3.3"]],
        },
        "circular_sentence": ["praise", 1],
        "extension": {"measure_id": 14, "code": "1.3.2", "programme_id": 1,
                      "deadline": "2024-12-31"},
    }  # fmt: skip
    drafts = decode(old)
    assert drafts.draft == AnswerDraft(
        id=4, programme_id=1, measure_id=14, code="1.3.2", health="on_track", note="已完成",
        files=[PHOTO], step=2, choices=[(14, "1.3.2"), (15, "1.3.3")],
    )  # fmt: skip
    assert (drafts.draft_seq, drafts.circular_sentence) == (4, ("praise", 1))
    assert drafts.extension is not None and drafts.extension.wanted is None


def test_a_field_that_no_longer_fits_is_dropped_alone() -> None:
    drafts = decode(
        {
            "draft": {"id": "four", "measure_id": 14},  # a str where an int belongs
            "lookback": {"id": 7, "programme_id": 1},  # its verdict missing
            "spotcheck": "not a draft",
            "naming": 1,  # JSON's 1 is not True
            "find_seq": True,  # nor true an int
            "gone": {"a": 1},  # a key no field has
            "send_back": 12,
        }
    )
    assert drafts == UserDrafts(send_back=12)
    assert decode(None) == decode([1, 2]) == decode("x") == UserDrafts()


async def test_persistence_reads_an_old_row_through_the_codec(db_url: str) -> None:
    database = Database(db_url)
    try:
        plain = DbPersistence(lambda: database)  # as the earlier code stored user_data
        await plain.update_user_data(301, {"draft": {"id": 1, "code": "1.3.2"}, "lang": "en"})
        await plain.update_user_data(302, {"lookback": [1, 2]})
        typed = DbPersistence(lambda: database, codec=CODEC)
        loaded = await typed.get_user_data()
        assert loaded == {301: UserDrafts(draft=AnswerDraft(id=1, code="1.3.2")), 302: UserDrafts()}
        loaded[302].send_back = 5
        await typed.update_user_data(302, loaded[302])
        again = await DbPersistence(lambda: database, codec=CODEC).get_user_data()
        assert again[302] == UserDrafts(send_back=5)
        held = UserDrafts(naming=True)  # the object PTB holds for the user
        replica = DbPersistence(lambda: database, shared=True, codec=CODEC)
        await replica.refresh_user_data(302, held)  # filled in place from the row
        assert held == UserDrafts(send_back=5)
        await typed.refresh_user_data(301, held)  # one process: nothing to read afresh
        assert held == UserDrafts(send_back=5)
    finally:
        await database.dispose()
