"""The fake Bot API in webhook mode: updates are POSTed to replicas behind one URL, in turn."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from fakebot import JSON, FakeTelegram

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookTelegram(FakeTelegram):
    """Once setWebhook is called, updates go out by HTTP POST like Telegram's, one at a time.

    `replicas`: the addresses behind the public URL; a round-robin balancer picks one per update.
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.replicas: list[str] = []
        self.webhook: JSON | None = None
        self.deliveries: list[tuple[int, int, int]] = []  # (update_id, replica index, status)
        self._queue: asyncio.Queue[JSON] = asyncio.Queue()
        self._poster: asyncio.Task[None] | None = None

    def _api_setWebhook(self, p: JSON) -> bool:
        self.webhook = dict(p)
        return True

    def _api_getWebhookInfo(self, p: JSON) -> JSON:
        url = self.webhook.get("url", "") if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    def _enqueue(self, update: JSON) -> None:
        if self.webhook is None:
            super()._enqueue(update)
            return
        update = {"update_id": 100000 + len(self.updates), **update}
        self.updates.append(update)
        self._queue.put_nowait(update)
        if self._poster is None:
            self._poster = asyncio.get_running_loop().create_task(self._post_all())

    async def _post_all(self) -> None:
        turn = 0
        async with aiohttp.ClientSession() as http:
            while True:
                update = await self._queue.get()
                index = turn % len(self.replicas)
                turn += 1
                headers = {
                    SECRET_HEADER: str(self.webhook.get("secret_token", "") if self.webhook else "")
                }
                # like Telegram: the next update waits for this one's answer
                async with http.post(self.replicas[index], json=update, headers=headers) as r:
                    self.deliveries.append((int(update["update_id"]), index, r.status))
                self._queue.task_done()

    async def delivered(self) -> None:
        """Wait until every update so far was answered by a replica."""
        await self._queue.join()

    async def stop(self) -> None:
        """Stop posting, then the server."""
        if self._poster is not None:
            self._poster.cancel()
        await super().stop()
