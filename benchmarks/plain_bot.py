"""The baseline bot: sends given messages when an admin says /dispatch, echoes any other text.

Usage: python -m benchmarks.plain_bot MESSAGES_JSON BOT_API_BASE_URL TOKEN
Only PTB is imported, as a bare bot would; the messages come from Cadence's own dispatch.
The echo (/start included) is the baseline of the Monday and start-up benchmarks.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)


def main(path: str, base_url: str, token: str) -> None:
    """Poll until killed; /dispatch sends every message of the file through AIORateLimiter."""
    with open(path, encoding="utf-8") as f:
        messages: list[dict[str, Any]] = json.load(f)

    async def dispatch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        bot = context.bot
        await asyncio.gather(
            *(
                bot.send_message(
                    m["chat_id"],
                    m["text"],
                    parse_mode=m.get("parse_mode"),
                    reply_markup=InlineKeyboardMarkup.de_json(m["reply_markup"], bot)
                    if m.get("reply_markup")
                    else None,
                )
                for m in messages
            ),
            return_exceptions=True,
        )

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)

    app = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(AIORateLimiter(max_retries=5))
        .build()
    )
    app.add_handler(CommandHandler("dispatch", dispatch, block=False))
    app.add_handler(MessageHandler(filters.TEXT, echo))
    print("ready", flush=True)
    app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=1)


if __name__ == "__main__":
    main(*sys.argv[1:4])
