"""build_application: the one composition root."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import warnings
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    BaseRateLimiter,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import commands, conversations, web
from bot.context import CadenceContext, Services
from bot.ordering import PerPerson
from bot.settings import Settings
from core import logs
from core.clock import Clock
from core.i18n import check_catalogs
from core.render import callbacks
from core.render.callbacks_ledger import EditStep, FindPage, Found
from core.render.callbacks_people import LoosePage
from core.render.callbacks_rhythm import ForceBeat
from handlers import (
    admin,
    away,
    buttons,
    chase,
    circular,
    dead_ends,
    errors,
    export,
    find,
    followup,
    founding,
    handover,
    history,
    ledger,
    ledger_edit,
    letter,
    lookback,
    narrative,
    people,
    people_admin,
    programme_facts,
    reachable,
    replicas,
    revoke,
    rhythm,
    schedule,
    signoff,
    spotcheck,
    start,
    status,
)
from handlers.board import menu as board_menu
from handlers.drafts import UserDrafts
from handlers.drafts_codec import CODEC as DRAFTS_CODEC
from handlers.marked import WhileMarked
from handlers.presses import ButtonHandler
from jobs.budget import SharedBudget
from jobs.pacing import PacedLimiter
from jobs.ports import JobRhythm, OutboxCourier
from jobs.scheduler import plan_all, start_reconciling
from storage.persistence import DbPersistence

log = logging.getLogger(__name__)
BOARD_PORT = "board_port"  # bot_data: the port the board listens on beside polling
CadenceApp = Application[Any, CadenceContext, UserDrafts, dict[Any, Any], dict[Any, Any], Any]


def services_of(app: CadenceApp) -> Services:
    """The services build_application gave the application."""
    svc = app.bot_data["svc"]
    assert isinstance(svc, Services)
    return svc


async def _post_init(app: CadenceApp) -> None:
    svc = services_of(app)
    svc.started = svc.clock.now()
    await svc.database.ping()  # an unreachable database is still one line and exit 3, at once
    await plan_all(app)
    start_reconciling(app, svc.settings.cadence_reconcile_seconds)  # resumes the outbox too
    # the menus (a request per scope and language, each a round trip to Telegram) and the
    # collection wait until polling has begun, so the first answer comes sooner (issue 27);
    # no update needs them. Planning stays here (see benchmarks/RESULTS.md, issue 27)
    assert app.job_queue is not None
    svc.busy += 1  # until the job below has run: tests settle only after it
    app.job_queue.run_once(_after_start, when=0.0, name="start")
    if svc.stop_on_signals:
        _stop_on_signals(app)
    if (board := app.bot_data.get(BOARD_PORT)) is not None:  # polling: the board on its own port
        await web.serve(app, listen=svc.settings.cadence_webhook_listen, port=board)
    logs.started()


async def _after_start(context: CadenceContext) -> None:
    """Start-up work no update waits for: command menus, then freezing what start-up built."""
    svc: Services = context.bot_data["svc"]
    try:
        await commands.register(context.bot, svc.settings.cadence_locale)
        await board_menu.set_menus(context.bot, svc)  # the board, when CADENCE_WEBAPP_URL is set
    finally:
        svc.busy -= 1
    if not _frozen:  # once per process (tests start many applications)
        # what start-up built lives as long as the process: a full collection scanning those
        # ~200,000 objects cost ~100 ms of CPU every few hundred updates
        _frozen.append(True)
        gc.collect()
        gc.freeze()


# not gc.get_freeze_count(): it walks every frozen object, ~15 ms of CPU per application start
_frozen: list[bool] = []


def _stop_on_signals(app: CadenceApp) -> None:
    """SIGTERM and Ctrl-C stop a fan-out at once instead of letting it run to its end (PTB's own
    handlers stop the application, which waits for the running beat job: docker stop's 10 s
    grace then ends in a hard kill, and a hard kill can repeat messages)."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGABRT):
        loop.add_signal_handler(sig, lambda: app.create_task(_stop(app)))


async def _stop(app: CadenceApp) -> None:
    """The requests in flight finish and are recorded; the rest stays queued for the next start."""
    sender = services_of(app).sender
    if sender is not None:
        await sender.stop()
    log.info("stopping: the deliveries in flight are recorded, the rest stays queued")
    app.stop_running()


async def _post_shutdown(app: CadenceApp) -> None:
    await web.close(app)
    await services_of(app).close()


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> CadenceApp:
    """Wire settings, resources and every handler into one PTB Application."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    check_catalogs()  # a missing catalog is an error now, not English to Chinese readers later
    logs.install(settings.telegram_bot_token.get_secret_value())
    svc = Services(settings=settings, clock=clock or Clock())
    limiter = rate_limiter or PacedLimiter()
    if isinstance(limiter, PacedLimiter):  # replies too pace within the database's one budget
        limiter.pacer.share(SharedBudget(lambda: svc.database))
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .context_types(ContextTypes(context=CadenceContext, user_data=UserDrafts))
        .rate_limiter(limiter)
        .persistence(
            DbPersistence(
                lambda: svc.database,
                shared=bool(settings.telegram_webhook_url),
                codec=DRAFTS_CODEC,
            )
        )
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(PerPerson())  # people side by side, each person's in order
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
        builder = builder.base_file_url(settings.file_base_url or "")
    app: CadenceApp = builder.build()
    app.bot_data["svc"] = svc
    # the handlers reach the timer and the sender through these ports only (usecases.ports)
    svc.rhythm, svc.courier = JobRhythm(app, svc), OutboxCourier(app, svc)
    # first, in a group of its own: every log line of the update names it and its user
    app.add_handler(TypeHandler(Update, _stamp), group=-2)
    if settings.telegram_webhook_url:
        # replicas: the previous step of a conversation may have gone to another one
        app.add_handler(TypeHandler(Update, replicas.refresh), group=-3)
    app.add_handlers(_handlers(app))
    # after every handler of the update: conversation steps are written now, not on a timer
    app.add_handler(TypeHandler(Update, _persist), group=1)
    # any private update proves the person can be reached again (the gate did it if it ran,
    # so this is a query only for ungated updates; no task of its own for the others)
    app.add_handler(TypeHandler(Update, reachable.seen), group=2)
    app.add_error_handler(errors.on_error)
    return app


def _handlers(app: CadenceApp) -> list[BaseHandler[Any, CadenceContext, Any]]:
    """Every handler, in the order PTB tries them."""
    private = filters.ChatType.PRIVATE
    evidence = private & (filters.Document.ALL | filters.PHOTO)
    text = private & filters.TEXT & ~filters.COMMAND
    cancel = private & filters.Regex(r"^/cancel(@\w+)?\s*$")
    with warnings.catch_warnings():
        # per_message=False is deliberate: the conversation follows the user, not one message
        warnings.filterwarnings("ignore", message=".*per_message=False", category=PTBUserWarning)
        answering = conversations.answering(private, evidence)
        deciding = conversations.deciding(private)
        extending = conversations.extending(private, app.user_data)
        sharing = conversations.sharing(private, app.user_data)
        looking_back = lookback.conversation(private, evidence, app.user_data)
        circulating = circular.conversation(private, app.user_data)
        public_sending = conversations.public_sending(private)
        public_desk = conversations.public_desk()
        recording = conversations.recording(private, evidence, app.user_data)
        spot_checking = spotcheck.conversation(private, app.user_data)
    return [
        # 群众监督: /start jiandu… opens it to anyone, so it comes before invites and the gate;
        # an answer being typed to the public goes before any other conversation's text
        public_sending,
        public_desk,
        # /start carries invite tokens from strangers, so it comes before anything gated
        CommandHandler("start", start.start),
        CommandHandler("help", start.help_command),
        CommandHandler("lang", start.lang),
        ButtonHandler(start.lang_chosen, callbacks.Lang),
        CommandHandler("use", start.use),
        CommandHandler("newprogramme", admin.new_programme),
        CommandHandler("status", status.status),
        CommandHandler("setup", admin.setup),
        CommandHandler("invites", people.invites),
        CommandHandler("people", people_admin.people_list),
        CommandHandler("revoke", revoke.revoke),
        CommandHandler("handover", handover.handover_command),
        CommandHandler("my", people.my),
        # an /edit form's awaited text and /cancel: the form was opened last, so it wins
        WhileMarked(ledger_edit.WAITING, app.user_data, text, ledger_edit.typed),
        WhileMarked(ledger_edit.EDITING, app.user_data, cancel, ledger_edit.cancel),
        CommandHandler("edit", ledger_edit.edit_command),
        ButtonHandler(ledger_edit.press, EditStep),
        CommandHandler("find", find.find_command),
        ButtonHandler(find.find_page, FindPage),
        ButtonHandler(find.open_found, Found),
        # a coordinator's send-back reason comes before an answer being written, if both are open
        deciding,
        extending,
        sharing,
        looking_back,
        circulating,
        recording,
        spot_checking,
        CommandHandler("pending", signoff.pending),
        CommandHandler("spotcheck", spotcheck.draw_now),
        CommandHandler("history", history.history_command),
        # the conversation sits before the ledger upload so evidence files go to the answer
        answering,
        CommandHandler("cancel", dead_ends.nothing_to_cancel),
        CommandHandler("summary", rhythm.summary),
        CommandHandler(list(rhythm.BEAT_COMMANDS), rhythm.manual_beat),
        ButtonHandler(rhythm.force_beat, ForceBeat),
        CommandHandler("schedule", schedule.schedule),
        CommandHandler("programme", programme_facts.programme_facts),
        CommandHandler("narrative", narrative.narrative),
        CommandHandler("export", export.export),
        CommandHandler("letter", letter.letter),
        ButtonHandler(letter.letter_button, callbacks.IssueLetter),
        ButtonHandler(chase.chase_button, callbacks.Chase),
        ButtonHandler(followup.follow_up, callbacks.FollowUp),
        CommandHandler("away", away.away),
        CommandHandler("back", away.back),
        # a coordinator's spreadsheet is a ledger; any other file outside an answer is evidence
        MessageHandler(evidence, dead_ends.loose_file),
        # an import of thousands of rows takes a while: other people's updates go on meanwhile
        ButtonHandler(ledger.confirm, callbacks.Import, block=False),
        ButtonHandler(ledger.choose_sheet, callbacks.ImportSheet),
        ButtonHandler(founding.create_and_import, callbacks.Found, block=False),
        ButtonHandler(buttons.open_measure, callbacks.Open),
        ButtonHandler(buttons.page, callbacks.Paging),
        *people_admin.BUTTONS,
        ButtonHandler(dead_ends.loose_page, LoosePage),
        # last: every press gets an answer, even one no handler above wanted
        ButtonHandler(buttons.expired_button),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, dead_ends.free_text),
        MessageHandler(private & filters.COMMAND, dead_ends.unknown_command),
    ]


async def _stamp(update: Update, _context: CadenceContext) -> None:
    """Every log line of this update names it and its user; the gate adds the programme."""
    user = update.effective_user
    logs.start_update(update.update_id, user.id if user else None)


async def _persist(update: Update, context: CadenceContext) -> None:
    """Write conversation states and user data changed by this update."""
    if update.effective_user is not None:  # PTB marks it only once every group has run
        context.application.mark_data_for_update_persistence(user_ids=update.effective_user.id)
    await context.application.update_persistence()
