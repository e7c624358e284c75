"""The command menus, per language and scope, registered with set_my_commands."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.ext import ExtBot

from core.i18n import N_, tr
from core.languages import LANGUAGES

PRIVATE = (
    ("my", N_("Your measures")),
    ("summary", N_("The picture right now")),
    ("invites", N_("Invite links, co-units' liaisons too (coordinators)")),
    ("people", N_("Who is bound (coordinators)")),
    ("revoke", N_("Unbind a person or revoke their links (coordinators)")),
    ("handover", N_("Hand a person's role to a successor (coordinators)")),
    ("pending", N_("Sign-off requests waiting (coordinators)")),
    ("history", N_("A measure's history")),
    ("outcome", N_("Record a rule made for a measure")),
    ("find", N_("Find measures by code, words, unit or name")),
    ("edit", N_("Add, change or retire a measure (coordinators)")),
    ("dispatch", N_("Run the weekly dispatch now (coordinators)")),
    ("review", N_("Run the fortnightly review now (coordinators)")),
    ("report", N_("Run the monthly report now (coordinators)")),
    ("spotcheck", N_("Draw this month's random spot check now (coordinators)")),
    ("schedule", N_("Beats and their next dates")),
    ("programme", N_("Facts of the progress report (coordinators)")),
    ("narrative", N_("The task force's text of the progress report (coordinators)")),
    ("export", N_("Ledger and report files (coordinators, leaders)")),
    ("letter", N_("Work prompt letter for a red measure (coordinators)")),
    ("circular", N_("Work circular of a month (coordinators)")),
    ("away", N_("Away from … to …")),
    ("back", N_("Back from absence")),
    ("lang", N_("Language")),
    ("use", N_("Switch programme")),
    ("cancel", N_("Leave the current answer")),
    ("help", N_("What you can do")),
)
GROUP = (
    ("summary", N_("The picture right now")),
    ("export", N_("Ledger and report files (coordinators, leaders)")),
    ("history", N_("A measure's history")),
    ("setup", N_("Attach this group to a programme")),
    ("help", N_("What you can do")),
)


def menu(locale: str, commands: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    """Bot commands with descriptions in a locale."""
    t = tr(locale)
    return [BotCommand(name, t._(description)) for name, description in commands]


async def register(bot: ExtBot[None], default_locale: str) -> None:
    """Register menus for private chats and groups, per language and as default."""
    for scope, commands in (
        (BotCommandScopeAllPrivateChats(), PRIVATE),
        (BotCommandScopeAllGroupChats(), GROUP),
    ):
        await bot.set_my_commands(menu(default_locale, commands), scope=scope)
        for lang in LANGUAGES:
            await bot.set_my_commands(
                menu(lang.code, commands), scope=scope, language_code=lang.telegram
            )
