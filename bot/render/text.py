"""Cutting long text into messages Telegram accepts: see bot.render.limits, where it lives."""

from __future__ import annotations

from bot.render.limits import split_text

__all__ = ["split_text"]
