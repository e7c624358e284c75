"""The ground floor: the pure domain, the renderers, languages, clock and logs (no Telegram updates, no database)."""
