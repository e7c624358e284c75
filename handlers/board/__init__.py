"""The leaders' board: a Telegram Mini App served by the bot's own process."""
