"""/summary, the manual beats (/dispatch, /review, /report) and /schedule."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain import filters
from core.domain.model import Beat, Role
from core.domain.periods import first_report, manual_period, previous_periods, report_period
from core.i18n import Tr
from core.render import beats, labels
from core.render.board_buttons import board_button
from core.render.callbacks_rhythm import ForceBeat
from core.render.digest import summary_text
from core.render.keyboards import red_buttons
from core.render.limits import echo
from core.render.plain_keys import Keyboard
from handlers.gate import Where, gate
from handlers.send import answer_query, reply_long
from handlers.status import as_utc
from storage import reports
from storage.programmes import rhythm_of
from usecases.digest import measure_ids
from usecases.ports import Outcome

BEAT_COMMANDS = {"dispatch": Beat.DISPATCH, "review": Beat.REVIEW, "report": Beat.REPORT}


def _filter_error(t: Tr, error: filters.FilterError) -> str:
    if error.problem is filters.Problem.NO_AREA:
        return t._(
            "There is no “{text}”. The areas are: {areas}.",
            text=echo(error.text),
            areas=t.join(error.candidates),
        )
    if error.problem is filters.Problem.AMBIGUOUS:
        return t._(
            "“{text}” matches more than one: {names}. Type more of the name.",
            text=echo(error.text),
            names=t.join(error.candidates),
        )
    return t._(
        "I do not know “{text}”. Try /summary, /summary overdue, /summary area 2 (or the area's name) or /summary unit NAME.",
        text=echo(error.text),
    )


@gate(where=Where.ANY, group_is_permission=True)
async def summary(update: Update, context: CadenceContext) -> None:
    """The picture now; owners see only their own measures."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.programme is not None
    t = context.t
    owner_only = (
        chat.type == "private"
        and not context.is_admin
        and (context.member is None or not context.member.roles & {Role.LEADER, Role.COORDINATOR})
    )
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    try:
        content = await reports.summary_content(
            context.session,
            programme=context.programme,
            today=today,
            args=context.args or [],
            owner_id=context.member.person_id if owner_only and context.member else None,
        )
    except filters.FilterError as error:
        await message.reply_text(_filter_error(t, error))
        return
    markup = None
    if content.where.kind is filters.Kind.OVERDUE and not owner_only:
        # a leader (or a coordinator) follows up (督办) on an overdue item from here
        codes = [o.measure.code for o in content.overdue]
        items = await measure_ids(context.session, context.programme_id, codes)
        markup = red_buttons(t, items, letters=False)
    if url := context.svc.settings.cadence_webapp_url:  # the same picture, to look at (issue 28)
        button = board_button(
            t, url, private=chat.type == "private", bot_username=context.bot.username,
            app_name=context.svc.settings.cadence_webapp_name,
        )  # fmt: skip
        markup = Keyboard([*(markup.inline_keyboard if markup else ()), [button]])
    await reply_long(message, summary_text(t, content, context.programme.name), markup)


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def manual_beat(update: Update, context: CadenceContext) -> None:
    """Run a beat now for its current period; it then counts for that period."""
    message = update.effective_message
    assert message is not None and message.text is not None
    name = message.text.split()[0].lstrip("/").split("@")[0]
    beat, period = BEAT_COMMANDS[name], None
    if beat is Beat.DISPATCH:
        assert context.programme is not None
        now = context.svc.clock.now()
        period = manual_period(beat, now, rhythm_of(context.programme))
    if beat is Beat.REPORT:
        # never a report on a month that ended before the programme existed
        programme = context.programme
        assert programme is not None
        now, rhythm = context.svc.clock.now(), rhythm_of(programme)
        period = report_period(now, as_utc(programme.created_at), rhythm)
        if period is None:
            first = first_report(as_utc(programme.created_at), rhythm)
            t, today = context.t, today_in(now, programme.timezone)
            await message.reply_text(
                t._(
                    "The first monthly report, on {month}, will be sent on {when}.",
                    month=labels.period_words(t, beat, first.period, today),
                    when=t.slot(first.planned, today),
                )
            )
            return
    _run(update, context, beat, force=False, period=period)


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def force_beat(update: Update, context: CadenceContext) -> None:
    """The confirm button for re-sending a beat already sent this period."""
    query = update.callback_query
    assert query is not None and context.programme is not None
    button = context.pressed(ForceBeat)
    if button is None or button.period not in _resendable(context, BEAT_COMMANDS[button.beat]):
        await answer_query(
            query,
            context.t._("Only the current or the last period can be sent again. Nothing was sent."),
            alert=True,
        )
        return
    await query.answer()
    await query.edit_message_reply_markup(None)
    _run(update, context, BEAT_COMMANDS[button.beat], force=True, period=button.period)


def _resendable(context: CadenceContext, beat: Beat) -> tuple[str, ...]:
    """The periods of a beat that may be forced: the current one and the one before it."""
    assert context.programme is not None
    rhythm = rhythm_of(context.programme)
    current = manual_period(beat, context.svc.clock.now(), rhythm)
    return (current, *previous_periods(beat, current, 1, rhythm))


def _run(
    update: Update, context: CadenceContext, beat: Beat, *, force: bool, period: str | None = None
) -> None:
    """The beat runs after this update commits: it opens its own sessions and must see its writes.

    It runs beside the update loop: a fan-out to a thousand owners takes half a minute, and
    everyone else's updates go on meanwhile.
    """

    async def start() -> None:
        work = _run_now(update, context, beat, force=force, period=period)
        context.svc.track(context.application.create_task(work, update=update))

    context.after_commit(start)


async def _run_now(
    update: Update, context: CadenceContext, beat: Beat, *, force: bool, period: str | None
) -> None:
    message = update.effective_message
    assert message is not None
    t = context.t
    result = await context.svc.rhythm.run_now(
        programme_id=context.programme_id, beat=beat, period=period, force=force
    )
    if result.outcome is Outcome.ALREADY:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t._("Send again"),
                        callback_data=ForceBeat("force", _command(beat), result.period).pack(),
                    )
                ]
            ]
        )
        await message.reply_text(
            t._(
                "Already sent for this period ({period}); nothing was sent. Press the button to send it again on purpose.",
                period=_words(context, beat, result.period),
            ),
            reply_markup=keyboard,
        )
    elif result.outcome is Outcome.NOBODY:
        words = _words(context, beat, result.period)
        await message.reply_text(beats.dispatch_nobody(t, words, result.owners, result.unbound))
    elif beat is Beat.DISPATCH:
        words = _words(context, beat, result.period)
        await message.reply_text(
            beats.dispatch_sent(t, words, result.reached, result.owners, result.unbound)
        )
    elif result.outcome is Outcome.NO_CHAT:
        await message.reply_text(
            t._("There is no group to send it to yet: use /setup in the leadership group first.")
        )
    else:
        await message.reply_text(
            t.n_(
                "Sent for period {period}; {n} recipient reached.",
                "Sent for period {period}; {n} recipients reached.",
                result.reached,
                period=_words(context, beat, result.period),
            )
        )
    await context.svc.rhythm.replan(context.programme_id)


def _words(context: CadenceContext, beat: Beat, period: str) -> str:
    assert context.programme is not None
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    return labels.period_words(context.t, beat, period, today)


def _command(beat: Beat) -> str:
    return next(k for k, v in BEAT_COMMANDS.items() if v is beat)
