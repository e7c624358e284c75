"""What a coordinator reads after running a beat by hand."""

from __future__ import annotations

from collections.abc import Sequence

from core.i18n import Tr

NAMES_SHOWN = 10


def _names(t: Tr, names: Sequence[str]) -> str:
    shown = t.join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += t._(" and {n} more", n=len(names) - NAMES_SHOWN)
    return shown


def dispatch_sent(t: Tr, period: str, sent: int, owners: int, unbound: Sequence[str]) -> str:
    """A dispatch went out: to how many of how many owners, and who is not bound yet."""
    head = t.n_(
        "Dispatch for {period} sent to {sent} of {n} owner.",
        "Dispatch for {period} sent to {sent} of {n} owners.",
        owners,
        period=period,
        sent=sent,
    )
    if not unbound:
        return head
    tail = t._(
        "Not yet bound (they get nothing until they open their invite): {names}. /invites gives their links.",
        names=_names(t, unbound),
    )
    return f"{head}\n{tail}"


def dispatch_nobody(t: Tr, period: str, owners: int, unbound: Sequence[str]) -> str:
    """Nobody could be sent the dispatch: the period is not used up."""
    if owners == 0:
        return t._(
            "There is nothing to dispatch for {period}: no owner has open measures.", period=period
        )
    return t.n_(
        "Nothing was sent for {period}: the {n} owner with open measures has not opened their invite yet ({names}). The period is not counted as dispatched: send the invites (/invites), then /dispatch again.",
        "Nothing was sent for {period}: none of the {n} owners with open measures has opened their invite yet ({names}). The period is not counted as dispatched: send the invites (/invites), then /dispatch again.",
        owners,
        period=period,
        names=_names(t, unbound),
    )
