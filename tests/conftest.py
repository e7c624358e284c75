"""Shared fixtures: databases migrated once per session, and the running bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx._transports.default as httpx_transport
import pytest
import pytest_asyncio
import replay_check
from alembic.script import ScriptDirectory
from fakebot import BOT_TOKEN, Chat, FakeTelegram, SentMessage, User
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables whose rows each test empties)
from bot.app import CadenceApp, build_application
from bot.context import Services
from bot.lifecycle import start_app, stop_app
from bot.settings import Settings
from core.clock import FixedClock
from core.domain.model import Beat
from jobs.pacing import Limits, PacedLimiter, Pacer
from storage.db import Database, to_async_url
from storage.migrate import alembic_config, upgrade

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLES = Path(__file__).resolve().parent / "data"
SH = ZoneInfo("Asia/Shanghai")
ADMIN = User(900, "Admin", language_code="zh-hans")
PG_URL = os.environ.get("TEST_DATABASE_URL")


def _worker_database(url: str, worker: str) -> str:
    """Under pytest-xdist, each worker's own database beside the given one (created if missing)."""
    base, _, name = url.rpartition("/")
    mine = f"{name}_{worker}"

    async def create() -> None:
        conn = await asyncpg.connect(url)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", mine):
                await conn.execute(f'CREATE DATABASE "{mine}"')
        finally:
            await conn.close()

    asyncio.run(create())
    return f"{base}/{mine}"


def _shared_ssl_context() -> None:
    """One default SSL context per test process, not two per Application built.

    Loading certifi's CA bundle takes ~50 ms of CPU, and every test builds at least one
    Application (two HTTP clients); the fake Bot API is plain HTTP on loopback, so no test
    depends on a fresh context. Only the default arguments are shared; any other goes through.
    """
    create = httpx_transport.create_ssl_context  # type: ignore[attr-defined]
    shared: ssl.SSLContext = create()

    def cached(verify: Any = True, cert: Any = None, trust_env: bool = True) -> ssl.SSLContext:
        if verify is True and cert is None and trust_env:
            return shared
        return create(verify=verify, cert=cert, trust_env=trust_env)

    httpx_transport.create_ssl_context = cached  # type: ignore[attr-defined]


_shared_ssl_context()


# workers of one run must not empty each other's tables mid-test
if PG_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    PG_URL = _worker_database(PG_URL, os.environ["PYTEST_XDIST_WORKER"])
# what a test needs that makes it more than a pure rule's test (`--pure` leaves those out)
IMPURE = {"bot", "db_url", "sqlite_url", "sqlite_template", "tmp_path", "monkeypatch"}
USECASES = Path(__file__).resolve().parent / "use_cases"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pure",
        action="store_true",
        help="only the tests of pure rules: no bot, database, files or coroutines",
    )
    parser.addoption(
        "--fast",
        action="store_true",
        help="the pure tests and the use cases' own (tests/use_cases, SQLite, no bot): `make mutate`",
    )


# tests that measure time windows (a stop within 3 s, a pace per second, nothing arriving for a
# while) or drive a browser: `make test` runs them after the parallel part, on a quiet machine.
# `python -m bot run`'s one-line errors (60 s timeouts) wait mostly, beside the other tests. The
# kill loop counts copies, not seconds, but runs alone all the same: beside it, the oracle's
# PostgreSQL shards took 130-170 s instead of 12-16 s (measured; the parallel part went to 10 min)
ALONE = {
    "test_clean_stop.py",
    "test_crash_loop.py",
    "test_delivery.py",
    "test_pacing.py",
    "test_sandbox_browser.py",
    "test_shared_pacing.py",  # 30 a second measured by the fake server: a loaded machine bunches
    "test_webhook_replicas.py",
}


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in ALONE:
            item.add_marker(pytest.mark.alone)
    fast = config.getoption("--fast")
    if not (fast or config.getoption("--pure")):
        return
    kept: list[pytest.Item] = []
    left: list[pytest.Item] = []
    for item in items:
        needs = IMPURE & set(getattr(item, "fixturenames", ()))
        waits = asyncio.iscoroutinefunction(getattr(item, "obj", None))
        # a use case's test drives it on a SQLite copy, with no bot: quick enough per mutant
        use_case = fast and USECASES in item.path.parents
        (kept if use_case or not (needs or waits) else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = kept


pytest_plugins = ["pytester"]  # test_fakebot proves a test that leaves loopback fails
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def sample(name: str) -> bytes:
    """A sample ledger: the repo's copy, else the shared one."""
    for folder in (SAMPLES, SHARED):
        if (folder / name).exists():
            return (folder / name).read_bytes()
    pytest.skip(f"sample {name} not found")


async def _reset_postgres(url: str) -> None:
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def _empty_postgres(url: str) -> bool:
    """Empty every table of a database migrated to HEAD; False if it is not at HEAD."""
    conn = await asyncpg.connect(url)
    try:
        # a lock left by a test that forgot to close its session must fail fast, not hang
        await conn.execute("SET lock_timeout = '5s'")
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = {r["tablename"] for r in rows}
        if "alembic_version" not in tables:
            return False
        if await conn.fetchval("SELECT max(version_num) FROM alembic_version") != HEAD:
            return False
        # children before parents; DELETE on a few rows is ~30x faster than TRUNCATE
        known = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
        order = sorted(tables - {"alembic_version"} - set(known)) + [
            t for t in known if t in tables
        ]
        async with conn.transaction():
            # audit events are append-only by trigger; emptying the test database is no code path
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute(";".join(f'DELETE FROM "{t}"' for t in order))
            # ids start at 1 again, as in a freshly migrated database
            await conn.execute(
                "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, 1, false)"
                " FROM pg_sequences WHERE schemaname = 'public'"
            )
        return True
    finally:
        await conn.close()


async def postgres_at_head(url: str) -> None:
    """A PostgreSQL database at HEAD with no rows: emptied if migrated, else rebuilt."""
    if not await _empty_postgres(url):
        await _reset_postgres(url)
        await asyncio.to_thread(upgrade, url)


def _db_params() -> list[Any]:
    params: list[Any] = ["sqlite"]
    params.append(
        pytest.param(
            "postgres", marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set")
        )
    )
    return params


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite database migrated to HEAD per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "cadence.db"
    upgrade(f"sqlite:///{path}")
    assert not Path(f"{path}-wal").exists(), "the template must be checkpointed before copying"
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated SQLite database in a temporary folder (a copy of the session's template)."""
    shutil.copyfile(sqlite_template, tmp_path / "cadence.db")
    return f"sqlite:///{tmp_path / 'cadence.db'}"


@pytest_asyncio.fixture(params=_db_params())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A migrated, empty database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "postgres":
        assert PG_URL is not None
        await postgres_at_head(PG_URL)
        return PG_URL
    shutil.copyfile(sqlite_template, tmp_path / "cadence.db")
    return f"sqlite:///{tmp_path / 'cadence.db'}"


def busy_jobs(app: CadenceApp, horizon: float = 5.0) -> list[str]:
    """Jobs due within `horizon` seconds, and beats running now (they re-plan at their end)."""
    assert app.job_queue is not None
    jobs = app.job_queue.jobs()
    soon = datetime.now(UTC) + timedelta(seconds=horizon)
    busy = [str(j.name) for j in jobs if j.next_t is None or j.next_t < soon]
    names = {j.name for j in jobs}
    pids = {n.split(":")[1] for n in names if n and n.startswith("beat:")}
    running = [f"beat:{p}:{b.value}" for p in pids for b in Beat]
    counts = app.bot_data["svc"].running_beats
    now_running = [f"beat:{p}:{b}" for (p, b), n in counts.items() if n > 0]
    sender = app.bot_data["svc"].sender
    delivering = ["outbox"] if sender is not None and sender.busy else []
    return busy + [n for n in running if n not in names] + now_running + delivering


def _all_fetched(api: FakeTelegram) -> bool:
    """Whether the bot confirmed (fetched) every update sent so far: a later offset was asked."""
    if not api.updates:
        return True
    offsets = [int(p.get("offset", 0)) for p in api.calls("getUpdates")]
    return max(offsets, default=0) > int(api.updates[-1]["update_id"])


@dataclass
class Bot:
    """A running Cadence bot, the fake Telegram it talks to, and the pinned clock."""

    api: FakeTelegram
    app: CadenceApp
    clock: FixedClock
    settings: Settings

    @property
    def db(self) -> Database:
        """The bot's database."""
        svc = self.app.bot_data["svc"]
        assert isinstance(svc, Services)
        return svc.database

    async def restart(self) -> None:
        """Stop the application and start a fresh one on the same database."""
        await stop_app(self.app)
        self.app = make_app(self.settings, self.clock)
        await start_app(self.app, poll_timeout=1)

    async def settle(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has processed every update sent so far and no beat is due or running.

        The signals come from the application itself: the updater asks for a later offset once
        it has queued an update, and the update queue's join() returns once every queued update
        went through process_update (PTB calls task_done() after it, errors included).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            left = deadline - loop.time()
            await self.api.wait_until(lambda: _all_fetched(self.api), timeout=max(left, 0.01))
            try:
                await asyncio.wait_for(self.app.update_queue.join(), max(left, 0.01))
            except TimeoutError:
                raise AssertionError(f"updates not processed in {timeout}s") from None
            busy = busy_jobs(self.app)
            if self.app.bot_data["svc"].busy:  # an update handled beside the loop (block=False)
                busy.append("update in progress")
            if not busy and _all_fetched(self.api) and self.app.update_queue.empty():
                return
            assert loop.time() < deadline, f"jobs still due after {timeout}s: {busy}"
            await asyncio.sleep(0.01)

    async def say(self, user: User, text: str, **kw: Any) -> SentMessage:
        """Send a private message, wait until it is processed, and return the bot's first answer."""
        mark = self.api.mark()
        self.api.send_private(user, text, **kw)
        return (await self.answers(user.id, mark))[0]

    async def press(self, user: User, msg: SentMessage, data: str) -> None:
        """Press a button, wait until it is processed; the bot must edit or send something."""
        edits, sent = len(msg.history), len(self.api.messages_to(msg.chat_id))
        self.api.press(user, msg, data)
        await self.settle()
        changed = len(msg.history) > edits or len(self.api.messages_to(msg.chat_id)) > sent
        assert changed, f"pressing {data!r} neither edited the message nor sent anything"

    async def upload(self, user: User, filename: str, content: bytes, **kw: Any) -> SentMessage:
        """Send a file in private, wait until it is processed, and return the bot's first answer."""
        mark = self.api.mark()
        self.api.upload_document(user, filename, content, **kw)
        return (await self.answers(user.id, mark))[0]

    async def answers(self, chat_id: int, mark: int) -> list[SentMessage]:
        """Wait until everything sent so far is processed; what the bot sent the chat since mark."""
        await self.settle()
        sent = [m for m in self.api.since(mark) if m.chat_id == chat_id]
        assert sent, f"the bot sent nothing to {chat_id}; it sent {self.api.since(mark)}"
        return sent


def button(msg: SentMessage, prefix: str, suffix: str = "") -> str:
    """The callback data of the one button of msg whose data starts with prefix (and ends with suffix)."""
    found = [d for _, d in msg.buttons if d.startswith(prefix) and d.endswith(suffix)]
    assert len(found) == 1, f"buttons {prefix}…{suffix} in {msg.buttons}"
    return found[0]


# the global 30/s stays; per-chat pacing is off unless a test asks for Telegram's strict limits
RELAXED = Limits(private_per_second=0, group_per_minute=0)


def make_app(settings: Settings, clock: FixedClock, limits: Limits = RELAXED) -> CadenceApp:
    """The application as production builds it, with test-friendly rate limits."""
    return build_application(settings, clock=clock, rate_limiter=PacedLimiter(Pacer(limits)))


def settings_for(api: FakeTelegram, url: str, **extra: Any) -> Settings:
    """Settings pointing at the fake server and a test database."""
    return Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=url,
        telegram_api_base_url=api.base_url,
        cadence_admins=frozenset({ADMIN.id}),
        **{
            "cadence_retry_seconds": 0.05,
            "cadence_send_timeout": 2.0,
            "cadence_lease_seconds": 5.0,
            "cadence_beat_retry_seconds": 0.3,
            **extra,
        },
    )


@pytest.fixture(scope="session")
def _documents_warm() -> None:
    """Find the chart's fonts once per session, before any test's 5-second waits."""
    from core.render.chart import warm_up

    warm_up()


@pytest_asyncio.fixture
async def bot(
    db_url: str, _documents_warm: None, request: pytest.FixtureRequest
) -> AsyncIterator[Bot]:
    """The running bot (SQLite, and PostgreSQL when configured), clock pinned to 2024-09-30 10:00 Shanghai."""
    async with FakeTelegram() as api:
        settings = settings_for(api, db_url)
        clock = FixedClock(datetime(2024, 9, 30, 10, 0, tzinfo=SH))
        app = make_app(settings, clock)
        await start_app(app, poll_timeout=1)
        harness = Bot(api, app, clock, settings)
        try:
            yield harness
        finally:
            await stop_app(harness.app)
        assert unreadable(api) == [], "STYLE.md: no ISO week codes or '.0%' in what people read"
        # issue 22: whatever the test did, the audit trail replays to the live ledger (a test
        # that writes rows behind the bot's back says so with the mark `bypasses_trail`)
        if request.node.get_closest_marker("bypasses_trail") is None:
            assert await replay_check.mismatches(db_url) == []


NEVER_SHOWN = re.compile(r"[0-9]{4}-W[0-9]{2}|[0-9]\.0%")


def unreadable(api: FakeTelegram) -> list[str]:
    """Texts and button labels the bot sent (before and after edits) that show a period key
    (2024-W42) or a percentage with '.0': STYLE.md never lets a person read those."""
    texts = []
    for m in api.sent:
        texts += [
            m.text or "",
            *(r.text or "" for r in m.history),
            *(label for label, _ in m.buttons),
        ]
    return [t for t in texts if NEVER_SHOWN.search(t)]


GROUP = Chat(-1001, "supergroup", "领导小组")
TASKFORCE = Chat(-1002, "supergroup", "整改专班")
