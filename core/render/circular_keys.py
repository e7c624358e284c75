"""The buttons of /circular: commend or name each unit, then preview; issue or edit."""

from __future__ import annotations

from collections.abc import Sequence

from core.domain.circulars import Stance
from core.i18n import Tr
from core.render.callbacks_circular import CircularPick, CircularStep
from core.render.keyboards import LABEL
from core.render.limits import INLINE_BUTTONS, fit
from core.render.plain_keys import Key, Keyboard

# two buttons a unit and the preview row: the first units in ranking order get buttons (a
# programme with more lead units than this is far beyond any ledger we have seen)
MAX_UNITS = (INLINE_BUTTONS - 1) // 2


def picker(t: Tr, draft: int, units: Sequence[str], picked: dict[str, Stance]) -> Keyboard:
    """A row per unit (表扬 / 点名, ✓ on the one chosen), then Preview."""
    rows = []
    for i, unit in enumerate(units[:MAX_UNITS]):
        chosen = picked.get(unit)
        commend = t._("Commend {unit}", unit=unit)
        name = t._("Name {unit}", unit=unit)
        rows.append(
            [
                Key(
                    fit(("✓ " if chosen is Stance.COMMEND else "") + commend, LABEL),
                    callback_data=CircularPick(draft, Stance.COMMEND.value, i).pack(),
                ),
                Key(
                    fit(("✓ " if chosen is Stance.NAME else "") + name, LABEL),
                    callback_data=CircularPick(draft, Stance.NAME.value, i).pack(),
                ),
            ]
        )
    preview = CircularStep(draft, "preview").pack()
    rows.append([Key(t._("Preview"), callback_data=preview)])
    return Keyboard(rows)


def confirm(t: Tr, draft: int) -> Keyboard:
    """Under the preview: issue it, or go back to the picks."""
    return Keyboard(
        [
            [
                Key(t._("Issue"), callback_data=CircularStep(draft, "issue").pack()),
                Key(t._("Edit"), callback_data=CircularStep(draft, "edit").pack()),
            ]
        ]
    )
