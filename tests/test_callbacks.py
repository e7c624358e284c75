"""The callback codec (round trips, malformed fields, 64 bytes) and the ButtonHandler's decoding."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
from telegram import CallbackQuery, Update
from telegram import User as TgUser

from bot.context import CadenceContext
from core.domain.numbers import ascii_int, typed_int
from core.render import callback_codec as codec
from core.render import callbacks as cb
from core.render import callbacks_people as cbp
from core.render import callbacks_rhythm as cbr
from handlers.presses import ButtonHandler

SAMPLES: list[codec.Button] = [
    cb.Lang("zh_CN"),
    cb.Lang("en"),
    cb.Open(1),
    cb.Open(codec.MAX_ID),
    cb.Listed(7),
    *(cb.Answer(42, a) for a in cb.ACTIONS),
    cb.Paging("open", 7, 0),
    cb.Paging("unanswered", 7, codec.MAX_PAGE),
    cb.PickStep(3, 42),
    cb.PickPage(3, 11),
    *(cb.HealthStep(42, 3, h) for h in cb.HEALTHS),
    cb.PercentSkip(42, 3),
    cb.FilesDone(42, 3),
    cb.ConfirmStep(codec.MAX_ID, codec.MAX_ID, "save"),
    cb.ConfirmStep(42, 3, "cancel"),
    cbr.ForceBeat("force", "dispatch", "2024-W40"),
    cbr.ForceBeat("force", "dispatch", "2020-W53"),
    cbr.ForceBeat("force", "review", "2024-10-16"),
    cbr.ForceBeat("force", "report", "2024-09"),
    cb.Import("keep", "0123456789abcdef"),
    cb.Import("drop", "0123456789abcdef"),
    cb.Import("no", "0123456789abcdef"),
    cb.Decide(codec.MAX_ID, "ok"),
    cb.Decide(7, "back"),
    cb.Extend(42),
    cb.FollowUp(42),
    *(cb.LookBackAnswer(codec.MAX_ID, v) for v in cb.LOOKBACKS),
    cb.ImportSheet("0123456789abcdef", 0),
    cb.ImportSheet("0123456789abcdef", codec.MAX_PAGE),
    cb.Found("0123456789abcdef"),
    cbp.PersonCard(codec.MAX_ID),
    *(cbp.RoleSwitch(7, r, w) for r in cbp.ROLES for w in cbp.SWITCH),
    cbp.Reissue(7),
    cbp.PeoplePage(codec.MAX_PAGE),
    cbp.LoosePage(0),
]


@pytest.mark.parametrize("button", SAMPLES, ids=repr)
def test_round_trip_within_64_bytes(button: codec.Button) -> None:
    data = button.pack()
    assert 1 <= len(data.encode()) <= 64
    assert codec.unpack(data) == button


MALFORMED = [
    None,
    "",
    "x" * 65,
    "nope:1",
    "m",
    "m:",
    "m:0",
    "m:-1",
    "m:+1",
    "m:01",
    "m: 1",
    "m:1 ",
    "m:²",
    "m:٣",
    "m:１",
    "m:1.0",
    "m:2147483648",
    "m:99999999999999999999",
    "m:1:2",
    "ans:²:ok",
    "ans:1:fine",
    "ans:1",
    "ans:x:y:z",
    "lang:fr",
    "found:0123456789ABCDEF",
    "found:0123456789abcdef:1",
    "lang:zh_cn",
    "pg:all:1:0",
    "pg:open:1:-1",
    "pg:open:1:1000",
    "pg:open:0:1",
    "pick:1",
    "pick:1:x",
    "pk:1",
    "pk:1:1000",
    "pk:0:1",
    "h:1:2:done",
    "h:1:2",
    "h:1:²:ok",
    "p:skip",
    "p:1:2:3",
    "f:done",
    "f:1:0",
    "c:save",
    "c:1:2:maybe",
    "c:1:2",
    "beat:force:dispatch:2024-W42x",
    "beat:force:dispatch:2024-W54",
    "beat:force:dispatch:2024-W00",
    "beat:force:dispatch:2024-09",
    "beat:force:report:2024-13",
    "beat:force:report:2024-00",
    "beat:force:report:2024-W40",
    "beat:force:review:not-a-period",
    "beat:force:review:2024-02-30",
    "beat:force:review:2024-9-1",
    "beat:force:nudge:2024-W40",
    "beat:again:dispatch:2024-W40",
    "beat:force:dispatch",
    "beat:force:dispatch:２０２４-W40",
    "imp:keep:0123456789ABCDEF",
    "imp:keep:0123456789abcde",
    "imp:go:0123456789abcdef",
    "imp:keep",
    "dec:1",
    "dec:1:yes",
    "dec:0:ok",
    "dec:01:ok",
    "dec:1:ok:back",
    "dec:²:back",
    "ext:0",
    "ext:1:2",
    "imps:0123456789abcdef",
    "imps:0123456789abcdef:-1",
    "imps:0123456789abcdef:²",
    "imps:keep:1",
    "pp:0",
    "role:7:owner:on",
    "role:7:leader:yes",
    "role:7:leader",
    "rei:²",
    "ppg:-1",
    "lp:1000",
]


@pytest.mark.parametrize("data", MALFORMED)
def test_malformed_data_is_refused(data: str | None) -> None:
    with pytest.raises(codec.CallbackError):
        codec.unpack(data)


def test_pack_refuses_values_that_would_not_come_back() -> None:
    for bad in (cb.Open(0), cb.Answer(1, "maybe"), cbr.ForceBeat("force", "report", "2024-13")):
        with pytest.raises(ValueError):
            bad.pack()


def test_every_kind_has_a_distinct_prefix() -> None:
    # every kind is registered (Listed is a kind of Open), and no two share a prefix
    assert len(codec.KINDS) == len(codec.Button.__subclasses__()) + len(cb.Open.__subclasses__())
    assert all(":" not in p for p in codec.KINDS)


def test_decode_gives_the_kind_or_none() -> None:
    # forged fields, another kind's button and no data at all decode to None, never raise
    assert codec.decode("m:42", cb.Open) == cb.Open(42)
    assert codec.decode("md:42", cb.Open) == cb.Listed(42)
    assert codec.decode("m:42", cb.Listed) is None
    assert codec.decode("m:042", cb.Open) is None
    assert codec.decode("ans:42:ok", cb.Open) is None
    assert codec.decode(None, cb.Open) is None
    assert codec.encode(cb.Open(42)) == "m:42"


def test_pattern_routes_by_prefix_only() -> None:
    # a malformed button of a known kind reaches its handler, which answers it clearly
    assert codec.pattern(cbr.ForceBeat)("beat:force:review:not-a-period")
    assert not codec.pattern(cbr.ForceBeat)("imp:keep:0123456789abcdef")
    assert not codec.pattern(cb.Open)(None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *(("0", 0), ("100", 100), ("007", 7), ("101", None), ("-1", None), ("²", None)),
        *(("٣", None), ("１", None), ("1.5", None), (" 5", None), ("", None), ("1e2", None)),
    ],
)
def test_ascii_int_is_strict(text: str, value: int | None) -> None:
    assert ascii_int(text, 0, 100) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [(" 80 ", 80), ("８０", 80), ("²", None), ("٣٠", None), ("80.5", None), ("", None)],
)
def test_typed_int_takes_full_width_digits_only(text: str, value: int | None) -> None:
    assert typed_int(text, 0, 100) == value


def _press(data: str) -> Update:
    user = TgUser(1, "A", is_bot=False)
    return Update(1, callback_query=CallbackQuery("1", user, chat_instance="c", data=data))


@pytest.mark.parametrize(
    ("kind", "data", "taken", "decoded"),
    [
        (cb.Open, "m:5", True, cb.Open(5)),
        (cb.Open, "md:5", True, cb.Listed(5)),  # a Listed button is an Open one
        (cb.Open, "m:05", True, None),  # forged: taken, so its handler answers it
        (cb.Open, "ans:5:ok", False, None),  # another kind's
        (codec.Button, "nope:1", True, None),  # the last handler takes every press
        (codec.Button, "ans:5:ok", True, cb.Answer(5, "ok")),
    ],
)
def test_button_handler_takes_its_kind_and_decodes_once(
    kind: type[codec.Button], data: str, taken: bool, decoded: codec.Button | None
) -> None:
    async def callback(update: Update, context: CadenceContext) -> None:
        """Never called here."""

    handler = ButtonHandler(callback, kind)
    update = _press(data)
    check = handler.check_update(update)
    assert bool(check) is taken
    if taken:
        context = SimpleNamespace(button=cb.Open(99))  # whatever an earlier update left
        handler.collect_additional_context(cast(Any, context), update, cast(Any, None), check)
        assert context.button == decoded
