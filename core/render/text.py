"""Cutting long text into messages Telegram accepts: see core.render.limits, where it lives."""

from __future__ import annotations

from core.render.limits import split_text

__all__ = ["split_text"]
