"""How the leaders' board is opened from a chat: a web_app button in private, a link in groups."""

from __future__ import annotations

from core.i18n import Tr
from core.render.plain_keys import Key


def open_board(t: Tr) -> str:
    """The button's words."""
    return t._("📊 Open the board")


def board_button(t: Tr, url: str, *, private: bool, bot_username: str, app_name: str | None) -> Key:
    """web_app buttons work only in private chats; a group gets the bot's Mini App link
    (t.me/<bot>/<app> when it has a short name, else its main Mini App with startapp)."""
    if private:
        return Key(open_board(t), web_app=url)
    return Key(open_board(t), url=group_link(bot_username, app_name))


def group_link(bot_username: str, app_name: str | None) -> str:
    """The bot's Mini App as a link: t.me/<bot>/<app> with a short name, else its main one."""
    if app_name:
        return f"https://t.me/{bot_username}/{app_name}"
    return f"https://t.me/{bot_username}?startapp=board"


def menu_label(t: Tr) -> str:
    """The words of the chat menu button of a leader or a coordinator, which opens the board."""
    return t._("Board")
