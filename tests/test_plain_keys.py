"""Plain keyboards (core.render.plain_keys): the Bot API's JSON, exactly as PTB's markup wrote it."""

from __future__ import annotations

import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from core.i18n import tr
from core.render.keyboards import chase_keyboard
from core.render.plain_keys import Key, Keyboard
from handlers.keys import markup, plain


def test_the_json_is_the_one_ptb_markup_wrote() -> None:
    """An outbox row stores to_dict(): a row queued before (PTB's) and after (ours) read alike."""
    ours = Keyboard(
        [
            [Key("督办", callback_data="fu:14"), Key("最新反馈", callback_data="ch:14:latest")],
            [Key("📊", url="https://t.me/cadence_bot/board"), Key("看板", web_app="https://b/x")],
        ]
    )
    ptb = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("督办", callback_data="fu:14"),
                InlineKeyboardButton("最新反馈", callback_data="ch:14:latest"),
            ],
            [
                InlineKeyboardButton("📊", url="https://t.me/cadence_bot/board"),
                InlineKeyboardButton("看板", web_app=WebAppInfo("https://b/x")),
            ],
        ]
    )
    assert ours.to_dict() == ptb.to_dict()
    # the sender reads a row the way it always did (InlineKeyboardMarkup.de_json)
    stored = json.dumps(ours.to_dict(), ensure_ascii=False)
    assert InlineKeyboardMarkup.de_json(json.loads(stored), None) == ptb
    # and the edge's conversions are inverse
    assert markup(ours) == ptb and plain(ptb) == ours
    assert Keyboard.from_dict(json.loads(json.dumps(ptb.to_dict()))) == ours


def test_a_use_case_keyboard_is_plain() -> None:
    t = tr("en")
    keys = chase_keyboard(t, 14, blocked=True)
    assert keys == Keyboard([[Key("Follow up", callback_data="fu:14")]])
    assert markup(None) is None and plain(None) is None
