"""Button kinds of /people (roles, fresh links) and of the loose-file picker's pages."""

from __future__ import annotations

from dataclasses import dataclass

from core.render.callback_codec import Button, ident, one_of, page

ROLES = ("coordinator", "leader")  # the roles /people grants and removes by hand
SWITCH = ("on", "off")


@dataclass(frozen=True)
class PersonCard(Button):
    """A bound person in /people: show their roles with buttons to change them."""

    PREFIX = "pp"
    FIELDS = (ident,)
    person_id: int


@dataclass(frozen=True)
class RoleSwitch(Button):
    """Grant (on) or remove (off) a person's coordinator or leader role."""

    PREFIX = "role"
    FIELDS = (ident, one_of(*ROLES), one_of(*SWITCH))
    person_id: int
    role: str
    switch: str


@dataclass(frozen=True)
class Reissue(Button):
    """A fresh invite link for someone who has not opened theirs."""

    PREFIX = "rei"
    FIELDS = (ident,)
    person_id: int


@dataclass(frozen=True)
class PeoplePage(Button):
    """Another page of the people buttons under /people."""

    PREFIX = "ppg"
    FIELDS = (page,)
    page: int


@dataclass(frozen=True)
class LoosePage(Button):
    """Another page of the measures a file sent outside an answer may be evidence for."""

    PREFIX = "lp"
    FIELDS = (page,)
    page: int
