"""The page's own words, translated like every other user-visible string."""

from __future__ import annotations

from core.domain.model import Beat, Role
from core.i18n import N_, Tr

UI = {
    "title": N_("Cadence sandbox"),
    "subtitle": N_("Everything runs on this computer; nothing is sent to Telegram."),
    "you_are": N_("You are"),
    "stranger": N_("a stranger (not bound)"),
    "groups": N_("Groups"),
    "people": N_("Private chats"),
    "type": N_("Write a message…"),
    "send": N_("Send"),
    "attach": N_("Attach a file"),
    "menu": N_("Commands"),
    "reply": N_("Reply"),
    "replying": N_("Replying to:"),
    "edited": N_("edited"),
    "pick_chat": N_("Choose a chat on the left."),
    "clock": N_("Clock"),
    "now": N_("Now"),
    "next_beats": N_("Next beats"),
    "run_now": N_("Run now"),
    "next_day": N_("Advance to the next working day"),
    "next_beat": N_("Advance to the next beat"),
    "reset": N_("Reset the sandbox"),
    "reset_confirm": N_("Start over? Every chat and every answer is deleted."),
    "done": N_("Done."),
    "sent_already": N_("sent already"),
    "add_person": N_("Add a person"),
    "open_board": N_("📊 Open the board"),
    "open_link": N_("Open this link as the person it is for (or as a new person)"),
    "go_live": N_("To go live, set TELEGRAM_BOT_TOKEN (see the README) and run make run again."),
}
BEATS = {
    Beat.DISPATCH: N_("Weekly dispatch"),
    Beat.NUDGE: N_("Reminder"),
    Beat.REVIEW: N_("Fortnightly review"),
    Beat.REPORT: N_("Monthly report"),
    Beat.SPOTCHECK: N_("Random spot check"),
}
ROLES = {
    Role.COORDINATOR: N_("coordinator"),
    Role.LEADER: N_("responsible leader"),
    Role.OWNER: N_("owner"),
}
OUTCOMES = {
    "sent": N_("{beat}: sent."),
    "already": N_("{beat}: already sent for this period."),
    "no_chat": N_("{beat}: the programme has no group for it."),
    "no_programme": N_("{beat}: there is no programme."),
    "not_yet": N_("{beat}: not yet due."),
    "nobody": N_("{beat}: nobody is bound to receive it yet."),
}
FOLDER_TAKEN = N_(
    "Another sandbox ({url}) already uses the folder {folder}. Stop it first, or give this one "
    "its own folder with CADENCE_SANDBOX_DIR."
)
STALE_PAGE = N_("This page belongs to an earlier start of the sandbox. Reload it.")
FOREIGN = N_("Refused: the request did not come from the sandbox's own page.")
VISITOR = N_("Visitor {n}")  # a person added in the page, bound to nobody yet
LOOKBACK = N_("Look-back")
LOOKBACK_ASKED = N_("Look-back: the owner of the first closed measure waiting for one was asked.")
LOOKBACK_NONE = N_("Look-back: no closed measure waits for one.")


def beat_label(t: Tr, beat: Beat) -> str:
    """A beat's name; a beat added later without a label here shows its code, not an error."""
    return t._(BEATS[beat]) if beat in BEATS else beat.value


def strings(t: Tr) -> dict[str, str]:
    """Every word of the page in one language."""
    found = {key: t._(msgid) for key, msgid in UI.items()}
    found.update({f"beat_{b.value}": beat_label(t, b) for b in Beat})
    found.update({f"role_{r.value}": t._(m) for r, m in ROLES.items()})
    return found
