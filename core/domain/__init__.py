"""Pure domain rules: no Telegram, no database, no wall clock."""
