"""Thin Telegram callbacks; gatekeeping lives in handlers.gate."""
