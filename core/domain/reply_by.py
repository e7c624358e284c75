"""By when a dispatch or a reminder asks for an answer, in the programme's calendar."""

from __future__ import annotations

from datetime import datetime

from core.domain.catchup import nudge_after
from core.domain.model import Beat
from core.domain.periods import Rhythm, next_slot


def reply_by(rhythm: Rhythm, beat: Beat, sent: datetime, ends: datetime | None = None) -> datetime:
    """A dispatch asks for an answer before its reminder would go; a reminder, or a dispatch
    whose reminder would fall after its period `ends`, before the next fortnightly review."""
    if beat is Beat.DISPATCH:
        nudge = nudge_after(rhythm, sent)
        if ends is None or nudge < ends:
            return nudge
    return next_slot(Beat.REVIEW, rhythm, sent).planned
