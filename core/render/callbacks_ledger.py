"""Button kinds of /edit (the form's steps) and /find (results and their pages)."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.ledger_edit import ADD_FIELDS
from core.render.callback_codec import Button, ident, one_of, page

EDIT_STEPS = (*ADD_FIELDS, "retire", "save", "cancel")


@dataclass(frozen=True)
class EditStep(Button):
    """A step of one /edit form: a field to change, retire, save or cancel."""

    PREFIX = "ed"
    FIELDS = (ident, one_of(*EDIT_STEPS))
    draft: int
    what: str


@dataclass(frozen=True)
class Found(Button):
    """A measure among /find's results: shows it."""

    PREFIX = "fd"
    FIELDS = (ident,)
    measure_id: int


@dataclass(frozen=True)
class FindPage(Button):
    """Another page of one search's results."""

    PREFIX = "fp"
    FIELDS = (ident, page)
    search: int
    page: int
