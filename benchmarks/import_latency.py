"""While a 5,000-row ledger import runs in chat, how long another user's /my waits for its answer."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakebot import BOT_TOKEN, FakeTelegram, User

from bot.app import build_application
from bot.lifecycle import start_app, stop_app
from bot.settings import Settings
from core.clock import FixedClock
from storage import people, programmes
from storage.migrate import upgrade

ADMIN = User(900, "Admin", language_code="zh-hans")
OWNER = User(901, "Owner", language_code="zh-hans")
ROWS = 5000
HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态"


def _ledger(n: int) -> bytes:
    rows = [
        f"B-{i},第一方面,问题{i // 50},措施{i},主任,单位{i % 80},,联络员{i % 80},2024-12-31,推进中"
        for i in range(1, n + 1)
    ]
    return "\n".join([HEADER, *rows]).encode()


async def main() -> None:
    """Print a Markdown table: the import's time and /my's answer times during it."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        await asyncio.to_thread(upgrade, url)
        async with FakeTelegram() as api:
            settings = Settings(
                _env_file=None,
                telegram_bot_token=BOT_TOKEN,
                database_url=url,
                telegram_api_base_url=api.base_url,
                cadence_admins=frozenset({ADMIN.id}),
            )
            app = build_application(
                settings, clock=FixedClock(datetime(2024, 9, 30, 2, tzinfo=UTC))
            )
            await start_app(app, poll_timeout=1)
            try:
                api.send_private(ADMIN, "/newprogramme Bench")
                await api.wait_for(ADMIN.id)
                await api.settle()
                # the second user is a bound person of the programme, so /my does real work
                async with app.bot_data["svc"].database.session() as s:
                    programme = await programmes.by_name(s, name="Bench")
                    assert programme is not None and programme.id is not None
                    person = await people.person_named(s, programme_id=programme.id, name="联络员1")
                    person.telegram_user_id = OWNER.id
                    s.add(person)
                mark = api.mark()
                api.upload_document(ADMIN, "big.csv", _ledger(ROWS))
                [preview] = await api.wait_for(ADMIN.id, since=mark, timeout=120)
                await api.settle()
                keep = next(d for _, d in api.buttons(preview) if d.startswith("imp:keep"))
                start = time.perf_counter()
                api.press(ADMIN, preview, keep)
                waits: list[float] = []
                while "导入完成" not in api.last_to(ADMIN.id).plain:
                    asked, at = api.mark(), time.perf_counter()
                    api.send_private(OWNER, "/my")
                    await api.wait_for(OWNER.id, since=asked, timeout=60)
                    waits.append(time.perf_counter() - at)
                    await asyncio.sleep(1.0)
                took = time.perf_counter() - start
            finally:
                await stop_app(app)
    ms = sorted(w * 1000 for w in waits)
    print(f"| import {ROWS:,} rows in chat | {took:.1f} s |")
    print(
        f"| /my during it ({len(ms)} asked) | median {statistics.median(ms):.0f} ms, "
        f"max {ms[-1]:.0f} ms |"
    )


if __name__ == "__main__":
    asyncio.run(main())
