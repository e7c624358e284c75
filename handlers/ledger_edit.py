"""/edit CODE (coordinators): a form of buttons and prompts to add, change or retire a measure."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import CadenceContext
from core.domain.ledger_edit import (
    ADD_FIELDS,
    FIELDS,
    missing,
    new_code,
    read_reason,
    read_value,
)
from core.domain.ledger_words import CODE_MAX
from core.domain.model import Role
from core.render.callbacks_ledger import EditStep
from core.render.ledger_changes import change_line
from core.render.ledger_edit import form_text, label, prompt, refusal, retire_text
from core.render.limits import echo
from handlers.answer_draft import EDIT_WAITING, expired
from handlers.drafts import EditDraft, drafts, next_seq
from handlers.gate import Where, actor_of, gate
from handlers.send import answer_query
from storage import ledger_edit, measures
from usecases import ledger_edit as edit

EDITING = "ledger_edit"  # UserDrafts: the form being filled in (handlers.marked)
WAITING = EDIT_WAITING  # UserDrafts: the field whose text the form waits for


def _draft(context: CadenceContext) -> EditDraft | None:
    found = drafts(context).ledger_edit
    return found if found is not None and found.programme_id == context.programme_id else None


def _keyboard(context: CadenceContext, draft: EditDraft) -> InlineKeyboardMarkup:
    t, n = context.t, draft.id
    adding = draft.measure_id is None
    fields = ADD_FIELDS if adding else FIELDS
    buttons = [
        InlineKeyboardButton(label(t, f), callback_data=EditStep(n, f).pack()) for f in fields
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    if not adding:
        rows.append(
            [InlineKeyboardButton(t._("Retire"), callback_data=EditStep(n, "retire").pack())]
        )
    rows.append(
        [
            InlineKeyboardButton(t._("Save"), callback_data=EditStep(n, "save").pack()),
            InlineKeyboardButton(t._("Cancel"), callback_data=EditStep(n, "cancel").pack()),
        ]
    )
    return InlineKeyboardMarkup(rows)


async def _show(message: Message, context: CadenceContext, draft: EditDraft) -> None:
    text = form_text(
        context.t, draft.code, draft.now, draft.wanted, adding=draft.measure_id is None
    )
    await message.reply_text(text, reply_markup=_keyboard(context, draft))


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def edit_command(update: Update, context: CadenceContext) -> None:
    """/edit CODE: the form of a live measure, or of a new one under a code not yet used."""
    message = update.effective_message
    assert message is not None
    t = context.t
    typed = " ".join(context.args or []).strip()
    if not typed or len(typed) > CODE_MAX:
        await message.reply_text(
            t._(
                "Please name the measure: /edit CODE, for example /edit 1.2.3. A code not yet in the ledger adds a new measure."
            )
        )
        return
    s, pid = context.session, context.programme_id
    m = await ledger_edit.by_code(s, programme_id=pid, code=typed)
    seq = next_seq(drafts(context).ledger_edit_seq)
    drafts(context).ledger_edit_seq = seq
    drafts(context).ledger_edit_wait = None
    if m is not None and m.id is not None:
        now = (await ledger_edit.current(s, measure=m)).values
        draft = EditDraft(id=seq, programme_id=pid, measure_id=m.id, code=m.code, now=dict(now))
    else:
        code, free = new_code(typed, await ledger_edit.codes(s, programme_id=pid))
        if not free:
            await message.reply_text(
                t._(
                    "The code {code} is already used in the ledger (a retired measure keeps its code). Choose another code for a new measure.",
                    code=echo(code),
                )
            )
            return
        draft = EditDraft(id=seq, programme_id=pid, code=code)
    drafts(context).ledger_edit = draft
    await _show(message, context, draft)


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def press(update: Update, context: CadenceContext) -> None:
    """A button of the form: ask for a field, retire, save or cancel."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    t = context.t
    button = context.pressed(EditStep)
    draft = _draft(context)
    if button is None or draft is None:
        await answer_query(query, expired(t), alert=True)
        return
    if button.draft != draft.id:
        await answer_query(query, _older(context), alert=True)
        return
    adding = draft.measure_id is None
    what = button.what
    if what == "cancel":
        await query.answer()
        _close(context)
        await query.edit_message_text(t._("Cancelled. Nothing was saved."))
        return
    if what == "save":
        await _save(update, context, draft)
        return
    if (adding and what not in ADD_FIELDS) or (not adding and what not in (*FIELDS, "retire")):
        await answer_query(query, _older(context), alert=True)
        return
    await query.answer()
    drafts(context).ledger_edit_wait = what
    if what == "retire":
        text = t._(
            "Why is {code} retired? Send the reason; it goes into its history and to its owner. /cancel leaves without saving.",
            code=draft.code,
        )
    else:
        text = prompt(t, what)
    await query.message.reply_text(text)


def _older(context: CadenceContext) -> str:
    """The answer to a press on a form that is not the latest."""
    return context.t._("This form is out of date: use the latest one, or send /edit CODE again.")


def _close(context: CadenceContext) -> None:
    drafts(context).ledger_edit = None
    drafts(context).ledger_edit_wait = None


@gate(where=Where.PRIVATE)
async def typed(update: Update, context: CadenceContext) -> None:
    """The text the form waited for: a field's new value, or the reason for retiring."""
    message = update.effective_message
    assert message is not None
    t = context.t
    mine = drafts(context)
    field, mine.ledger_edit_wait = mine.ledger_edit_wait or "", None
    draft = _draft(context)
    held = context.member.roles if context.member else frozenset()
    if draft is None or not (Role.COORDINATOR in held or context.is_admin):
        _close(context)
        await message.reply_text(expired(t))
        return
    text = message.text or ""
    read = read_reason(text) if field == "retire" else read_value(field, text)
    if read.refusal is not None:
        drafts(context).ledger_edit_wait = field  # still waiting: the next text is another try
        await message.reply_text(refusal(t, field, read))
        return
    if field == "retire":
        draft.retire = read.value
        n = draft.id
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(t._("Retire"), callback_data=EditStep(n, "save").pack()),
                    InlineKeyboardButton(t._("Cancel"), callback_data=EditStep(n, "cancel").pack()),
                ]
            ]
        )
        text = retire_text(t, draft.code, draft.now.get("text", ""), read.value)
        await message.reply_text(text, reply_markup=keyboard)
        return
    draft.wanted[field] = read.value
    draft.retire = None  # a field changed after a reason: the form is an edit again
    await _show(message, context, draft)


async def _write(context: CadenceContext, draft: EditDraft) -> edit.Done:
    """Add, retire or change, as the draft says."""
    assert context.programme is not None
    s, programme = context.session, context.programme
    now, actor = context.svc.clock.now(), actor_of(context)
    if draft.measure_id is None:
        new = edit.NewMeasure(code=draft.code, values=draft.wanted)
        return await edit.add(s, programme=programme, actor=actor, new=new, now=now)
    m = await measures.by_id(s, programme_id=context.programme_id, measure_id=draft.measure_id)
    if m is None:  # retired since the form opened
        return edit.Done(draft.code, refused=edit.Refused.STALE)
    if draft.retire is not None:
        gone = edit.Retirement(measure=m, seen=draft.now, reason=draft.retire)
        return await edit.retire(s, programme=programme, actor=actor, retirement=gone, now=now)
    change = edit.Change(measure=m, seen=draft.now, wanted=draft.wanted)
    return await edit.change(s, programme=programme, actor=actor, change=change, now=now)


async def _save(update: Update, context: CadenceContext, draft: EditDraft) -> None:
    """Write the form; the reply once it is stored, or why nothing was."""
    query = update.callback_query
    assert query is not None
    t = context.t
    lacking = missing(draft.wanted) if draft.measure_id is None else []
    if lacking:
        fields = t.join(label(t, f) for f in lacking)
        await answer_query(query, t._("Still to fill in: {fields}.", fields=fields), alert=True)
        return
    done = await _write(context, draft)
    refused = _refusals(context, done)
    if done.refused in (edit.Refused.SAME, edit.Refused.WAITING, edit.Refused.TAKEN):
        await answer_query(query, refused, alert=True)  # the form stays: another try
        return
    if done.refused is not None:  # stale: the form's values are not the ledger's any more
        _close(context)
        await query.answer()
        await query.edit_message_text(refused)
        return
    if draft.measure_id is None:
        said = t._("Measure {code} was added to the ledger.", code=done.code)
    elif draft.retire is not None:
        said = t._(
            "Measure {code} was retired. From today it leaves the figures; its history is kept.",
            code=done.code,
        )
    else:
        said = t._("Saved. {changes}.", changes=change_line(t, done.code, done.fields))
    if done.told:
        said = t.sentences(said, t.n_("{n} owner was told.", "{n} owners were told.", done.told))
    _close(context)
    await query.answer()
    context.reply(lambda: query.edit_message_text(said))  # "saved" once it is stored


def _refusals(context: CadenceContext, done: edit.Done) -> str:
    """Why the use case wrote nothing, in words."""
    t, code = context.t, done.code
    return {
        edit.Refused.SAME: t._("Nothing to save: no field was changed."),
        edit.Refused.TAKEN: t._("The code {code} is already used in the ledger.", code=code),
        edit.Refused.WAITING: t._(
            "A request about {code} waits for a decision (/pending). Decide it first, then retire the measure.",
            code=code,
        ),
        edit.Refused.STALE: t._(
            "{code} changed since this form was opened. Nothing was saved; send /edit {code} again.",
            code=code,
        ),
    }.get(done.refused or edit.Refused.SAME, "")


@gate(where=Where.PRIVATE)
async def cancel(update: Update, context: CadenceContext) -> None:
    """/cancel while a form is open: it closes, nothing saved."""
    assert update.effective_message is not None
    _close(context)
    await update.effective_message.reply_text(context.t._("Cancelled. Nothing was saved."))
