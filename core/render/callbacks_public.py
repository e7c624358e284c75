"""Button kinds of the public's channel (群众监督): the sender's steps and the task force's."""

from __future__ import annotations

from dataclasses import dataclass

from core.render.callback_codec import Button, ident, one_of

STEPS = ("next", "none", "anon", "named")  # photos done, no area or code, send unnamed / named
ACTS = ("accept", "forward", "answer")  # 受理, 转办, 答复


@dataclass(frozen=True)
class PublicStep(Button):
    """A step of someone writing a 监督意见."""

    PREFIX = "jd"
    FIELDS = (one_of(*STEPS),)
    step: str


@dataclass(frozen=True)
class PublicArea(Button):
    """The area a 监督意见 is about."""

    PREFIX = "jda"
    FIELDS = (ident,)
    area_id: int


@dataclass(frozen=True)
class PublicAct(Button):
    """The task force's 受理, 转办 or 答复 under an item."""

    PREFIX = "jdt"
    FIELDS = (ident, one_of(*ACTS))
    item_id: int
    act: str
