"""CLI: summary, beat and schedule (filled in by the rhythm work)."""

from __future__ import annotations

import argparse
from typing import Any

from bot.clock import Clock
from bot.settings import Settings


def add_parsers(sub: Any) -> None:
    """Register the rhythm sub-commands."""


async def dispatch(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Run a rhythm sub-command."""
    raise SystemExit(f"unknown command {args.command}")
