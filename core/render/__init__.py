"""Renderers: domain data to chat text (and later documents)."""
