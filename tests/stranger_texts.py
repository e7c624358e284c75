"""What the bot says to someone it does not know, in both languages (shared by tests)."""

from __future__ import annotations

STRANGER_TEXT_ZH = (
    "这里是Cadence整改调度机器人，整改专班用它开展每周调度、半月研判和月度汇报。"
    "您的Telegram账号尚未绑定整改项目：请打开整改专班发给您的邀请链接，即可一步完成绑定。"
)
STRANGER_TEXT_EN = (
    "This is Cadence, the bot a rectification task force uses for its weekly dispatch, "
    "fortnightly review and monthly report. Your Telegram account is not bound to a programme: "
    "open the invite link the task force sent you, and it binds you in one step."
)
