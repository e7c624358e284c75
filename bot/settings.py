"""Typed settings read from the environment and `.env`, failing fast."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.languages import CODES, DEFAULT_LOCALE


class Settings(BaseSettings):
    """Deployment settings; programme settings live in the database."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = Field(default=None)
    database_url: str = "sqlite:///data/cadence.db"
    telegram_api_base_url: str | None = None
    cadence_admins: Annotated[frozenset[int], NoDecode] = frozenset()
    cadence_timezone: str = "Asia/Shanghai"
    cadence_locale: str = DEFAULT_LOCALE
    cadence_invite_days: int = 14
    cadence_invite_reminder_days: int = 3  # /people lists links not opened after this long
    # delivery: how long one Bot API request may take, the first retry delay (doubling up to a
    # minute), and how long a sender's claim on a message lasts before another may take it
    # (30 s: Telegram answers in well under a second, so a timeout is rarely a message that went)
    cadence_send_timeout: float = 30.0
    cadence_retry_seconds: float = 1.0
    cadence_lease_seconds: float = 60.0
    # sends out at once, from the request to its record: all a hard kill can send twice (the Bot
    # API has no idempotency key); 10 keeps 30 a second while a send and its record take < 1/3 s
    cadence_send_in_flight: int = Field(default=10, ge=1)
    cadence_reconcile_seconds: float = 180.0  # re-plan every programme, resume the outbox
    cadence_beat_retry_seconds: float = 60.0  # a beat that failed (database down...) runs again
    cadence_error_chat_id: int | None = None  # where unexpected errors go, traceback included
    # webhook mode (several replicas behind one URL) instead of long polling (one process)
    telegram_webhook_url: str | None = None  # the public HTTPS URL Telegram posts updates to
    telegram_webhook_secret: SecretStr | None = None  # required with it: checked on each request
    cadence_webhook_listen: str = "0.0.0.0"
    cadence_webhook_port: int = 8443
    # the leaders' board (a Telegram Mini App, issue 28): its public HTTPS URL turns its buttons on;
    # polling serves it on its own port, a webhook beside the updates on the webhook's listener
    cadence_webapp_url: str | None = None
    cadence_webapp_port: int = 8090
    cadence_webapp_max_age: int = Field(default=3600, ge=1)  # seconds a signed opening is valid
    cadence_webapp_name: str | None = None  # its short name (BotFather /newapp): groups link it
    # the sandbox (`python -m bot sandbox`, `make run` without a token): its page and its files
    cadence_sandbox_port: int = 8080
    cadence_sandbox_dir: Path = Path("data")

    @field_validator("cadence_error_chat_id", mode="before")
    @classmethod
    def _blank_chat_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1–256 characters A–Z, a–z, 0–9, _ and -
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.telegram_webhook_url and self.telegram_webhook_secret is None:
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: without it anyone "
                "who finds the URL could post updates"
            )
        return self

    @field_validator(
        "telegram_bot_token",
        "telegram_api_base_url",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "cadence_webapp_url",
        "cadence_webapp_name",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("cadence_admins", mode="before")
    @classmethod
    def _split_admins(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(";", ",").replace(" ", ",").split(",")
            return frozenset(int(p) for p in parts if p.strip())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("cadence_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("cadence_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in CODES:
            raise ValueError(f"locale must be one of {', '.join(CODES)}")
        return value

    @property
    def file_base_url(self) -> str | None:
        """PTB's base_file_url derived from the Bot API base URL."""
        if not self.telegram_api_base_url:
            return None
        base = self.telegram_api_base_url.rstrip("/")
        head, _, tail = base.rpartition("/")
        return f"{head}/file/{tail}"
