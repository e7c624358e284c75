"""Fail fast on any network connection that leaves loopback (127.0.0.0/8, ::1, localhost, unix)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

__all__ = ["NetworkBlockedError", "guarded", "install", "is_allowed", "is_installed", "uninstall"]
__all__ += ["netguard"]


class NetworkBlockedError(ConnectionRefusedError):
    """Raised instead of connecting anywhere but loopback."""


_originals: dict[str, Any] = {}


def _host_allowed(host: object) -> bool:
    """Whether a host (IP literal or name, no DNS lookup) is loopback."""
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].rstrip(".").lower()
    if name in {"localhost", "localhost.localdomain"} or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def is_allowed(address: object) -> bool:
    """Whether a socket address may be connected to: loopback or a unix socket path."""
    if isinstance(address, str | bytes):  # AF_UNIX path or abstract name
        return True
    if isinstance(address, tuple) and address:
        return _host_allowed(address[0])
    return False


def _check(address: object) -> None:
    if not is_allowed(address):
        raise NetworkBlockedError(f"netguard: network access to {address!r} is blocked in tests")


def _guarded_family(sock: socket.socket) -> bool:
    return sock.family in (socket.AF_INET, socket.AF_INET6)


def _connect(self: socket.socket, address: Any) -> None:
    if _guarded_family(self):
        _check(address)
    _originals["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    if _guarded_family(self):
        _check(address)
    code: int = _originals["connect_ex"](self, address)
    return code


def _sendto(self: socket.socket, data: Any, *args: Any) -> int:
    if args and _guarded_family(self):
        _check(args[-1])
    sent: int = _originals["sendto"](self, data, *args)
    return sent


def _create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
    _check(address)
    sock: socket.socket = _originals["create_connection"](address, *args, **kwargs)
    return sock


async def _getaddrinfo(
    self: asyncio.AbstractEventLoop, host: Any, port: Any, *args: Any, **kwargs: Any
) -> list[Any]:
    passive = host is None or host in ("", b"")
    if not passive and not _host_allowed(host):
        raise NetworkBlockedError(f"netguard: resolving {host!r} is blocked in tests")
    infos: list[Any] = await _originals["getaddrinfo"](self, host, port, *args, **kwargs)
    allowed = [info for info in infos if passive or is_allowed(info[4])]
    if infos and not allowed:
        raise NetworkBlockedError(f"netguard: {host!r} does not resolve to loopback")
    return allowed


_PATCHES: tuple[tuple[str, Any, str, Any], ...] = (
    ("connect", socket.socket, "connect", _connect),
    ("connect_ex", socket.socket, "connect_ex", _connect_ex),
    ("sendto", socket.socket, "sendto", _sendto),
    ("create_connection", socket, "create_connection", _create_connection),
    ("getaddrinfo", asyncio.base_events.BaseEventLoop, "getaddrinfo", _getaddrinfo),
)


def is_installed() -> bool:
    """Whether the guard is active."""
    return bool(_originals)


def install() -> None:
    """Patch sockets and asyncio so only loopback connections succeed (idempotent)."""
    if _originals:
        return
    for key, owner, attr, replacement in _PATCHES:
        _originals[key] = getattr(owner, attr)
        setattr(owner, attr, replacement)


def uninstall() -> None:
    """Restore the original socket and asyncio functions."""
    for key, owner, attr, _ in _PATCHES:
        if key in _originals:
            setattr(owner, attr, _originals.pop(key))


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Install the guard for the duration of the block (nesting keeps the outer one)."""
    owner = not is_installed()
    install()
    try:
        yield
    finally:
        if owner:
            uninstall()


@pytest.fixture
def netguard() -> Iterator[None]:
    """The guard as a fixture; wrap it in an autouse fixture in conftest.py."""
    with guarded():
        yield
