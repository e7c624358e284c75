"""Cadence: a Telegram bot that runs a rectification programme."""
