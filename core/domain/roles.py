"""Which roles the ledger gives: owner and leader follow it; coordinator is granted by people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from enum import StrEnum

from core.domain.model import Role

LEDGER_ROLES = frozenset({Role.OWNER, Role.LEADER})


@dataclass(frozen=True)
class RoleLoss:
    """A person the ledger no longer names in some roles."""

    person_id: int
    name: str
    roles: frozenset[Role]


def ledger_roles(
    measures: Iterable[tuple[int | None, int | None]],
) -> dict[int, frozenset[Role]]:
    """Each person's roles by the (owner_id, leader_id) pairs the live measures give."""
    out: dict[int, set[Role]] = {}
    for owner_id, leader_id in measures:
        if owner_id is not None:
            out.setdefault(owner_id, set()).add(Role.OWNER)
        if leader_id is not None:
            out.setdefault(leader_id, set()).add(Role.LEADER)
    return {pid: frozenset(roles) for pid, roles in out.items()}


def roles_to_drop(
    held: Mapping[int, Set[Role]], by_ledger: Mapping[int, Set[Role]]
) -> dict[int, frozenset[Role]]:
    """The ledger roles each person holds that the ledger no longer gives them."""
    out = {}
    for person_id, roles in held.items():
        lost = (frozenset(roles) & LEDGER_ROLES) - frozenset(by_ledger.get(person_id, ()))
        if lost:
            out[person_id] = lost
    return out


HAND_ROLES = (Role.COORDINATOR, Role.LEADER)  # the roles /people grants and removes


class RoleChange(StrEnum):
    """What pressing a role button in /people did, or why it did nothing."""

    GRANTED = "granted"
    REMOVED = "removed"
    UNCHANGED = "unchanged"  # the person already had (or lacked) it
    LAST_COORDINATOR = "last_coordinator"  # a programme always keeps one bound coordinator
    BY_LEDGER = "by_ledger"  # the ledger names them responsible leader: change the ledger


def role_change(
    *, held: Set[Role], role: Role, on: bool, by_ledger: Set[Role], coordinators_left: int
) -> RoleChange:
    """The outcome of granting (on) or removing a role, before anything is written.

    coordinators_left counts the bound coordinators other than this person.
    """
    if on:
        return RoleChange.UNCHANGED if role in held else RoleChange.GRANTED
    if role not in held:
        return RoleChange.UNCHANGED
    if role is Role.COORDINATOR and coordinators_left == 0:
        return RoleChange.LAST_COORDINATOR
    if role in by_ledger:
        return RoleChange.BY_LEDGER
    return RoleChange.REMOVED
