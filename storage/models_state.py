"""Each measure's kept state: what a live picture reads of its history, kept with each write."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class MeasureState(SQLModel, table=True):
    """One measure's live silence, refreshed (storage/current_state.py) in the transaction of
    every write to its dispatch items: a picture of 10,000 measures reads one row each.

    No row reads as no dispatch yet (a run of 0): a measure gets one at its first dispatch.
    """

    # a measure's own id, never generated
    measure_id: int = Field(
        foreign_key="measure.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    programme_id: int = Field(foreign_key="programme.id", index=True)
    # core.domain.dispatches.silent_run of all its dispatch items: latest unanswered in a row
    silent_run: int = 0
