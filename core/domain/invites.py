"""Invite links: who gets one and what redeeming one does."""

from __future__ import annotations

from collections.abc import Set
from datetime import datetime
from enum import StrEnum

from core.domain.model import Role

INVITED_ROLES = frozenset({Role.OWNER, Role.LEADER})  # coordinators are bound by an admin


class Redeem(StrEnum):
    """Outcome of redeeming an invite token."""

    BOUND = "bound"  # this redemption binds the person to the user
    ALREADY = "already"  # the same user opens their used link again: still bound, nothing to do
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"
    TAKEN = "taken"  # the person is bound to another Telegram user
    DUPLICATE = "duplicate"  # the user already is another person of the same programme

    @property
    def welcome(self) -> bool:
        """Whether the user is bound after redeeming."""
        return self in (Redeem.BOUND, Redeem.ALREADY)


def redemption(
    *,
    used: bool,
    revoked: bool,
    expires_at: datetime,
    bound_to: int | None,
    user_id: int,
    now: datetime,
    other_person: bool = False,
) -> Redeem:
    """What redeeming an existing invite does: a link binds once, to one user, before it expires."""
    if revoked:
        return Redeem.REVOKED
    if used:
        return Redeem.ALREADY if bound_to == user_id else Redeem.USED
    if expires_at <= now:
        return Redeem.EXPIRED
    if bound_to not in (None, user_id):
        return Redeem.TAKEN
    if other_person:  # one Telegram account is one person per programme
        return Redeem.DUPLICATE
    return Redeem.BOUND


def invited_roles(roles: Set[Role], *, bound: bool) -> frozenset[Role]:
    """The roles an invite is for; empty when the person needs none."""
    return frozenset() if bound else frozenset(roles) & INVITED_ROLES
