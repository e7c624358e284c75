"""The chat menu button (setChatMenuButton) of every leader and coordinator opens the board."""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import MenuButtonWebApp, WebAppInfo
from telegram.error import TelegramError

from bot.context import Services
from core.i18n import tr
from core.render.board_buttons import menu_label
from storage import board, people

log = logging.getLogger(__name__)


async def set_menus(bot: Any, svc: Services, person_ids: Collection[int] | None = None) -> int:
    """Set the board as the menu button of each bound leader and coordinator (of `person_ids`:
    those just bound or given a role); how many were set."""
    url = svc.settings.cadence_webapp_url
    if not url:
        return 0
    async with svc.database.session() as session:
        people = await board.menu_people(session, person_ids=person_ids)
    done = 0
    for user_id, locale in sorted(people.items()):
        t = tr(locale or svc.settings.cadence_locale)
        try:
            await bot.set_chat_menu_button(
                chat_id=user_id, menu_button=MenuButtonWebApp(menu_label(t), WebAppInfo(url))
            )
            done += 1
        except TelegramError as error:  # one blocked person does not keep the others' menus
            log.warning("menu button for %s not set: %s", user_id, error)
    return done


async def follow(bot: Any, svc: Services, session: AsyncSession) -> None:
    """After a commit: the menu of each person it bound or made a leader or a coordinator."""
    if changed := people.changed_people(session):
        await set_menus(bot, svc, changed)
