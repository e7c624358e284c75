"""/find's answer: what was found, as buttons that open each measure, a page at a time."""

from __future__ import annotations

from core.i18n import Tr
from core.render.callbacks_ledger import FindPage, Found
from core.render.measures import short
from core.render.plain_keys import Key, Keyboard

LABEL = 28  # a button shows the code and the start of the text


def results_text(t: Tr, query: str, total: int, page: int, pages: int) -> str:
    """The heading over the buttons, or a clear answer when nothing was found."""
    if total == 0:
        return t._(
            "No measure among those you can see matches “{text}”. Try a shorter word, a code, a unit or a person's name.",
            text=query,
        )
    found = t.n_("{n} measure matches “{text}”.", "{n} measures match “{text}”.", total, text=query)
    if pages > 1:
        found = t.sentences(
            found, t._("Page {page} of {pages}.", page=t.num(page + 1), pages=t.num(pages))
        )
    return t.sentences(found, t._("Press one to see it."))


def results_keyboard(
    t: Tr, hits: list[tuple[int, str, str]], search: int, page: int, pages: int
) -> Keyboard | None:
    """One button per measure, then Previous and Next where there are more."""
    rows = [
        [Key(f"{code} {short(text, LABEL)}", callback_data=Found(mid).pack())]
        for mid, code, text in hits
    ]
    nav = []
    if page > 0:
        nav.append(Key(t._("◀ Previous"), callback_data=FindPage(search, page - 1).pack()))
    if page + 1 < pages:
        nav.append(Key(t._("Next ▶"), callback_data=FindPage(search, page + 1).pack()))
    if nav:
        rows.append(nav)
    return Keyboard(rows) if rows else None
