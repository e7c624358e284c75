"""Owners' notes: progress and the next step read apart, as the office writes them."""

import pytest

from core.domain.notes import split_next_step


@pytest.mark.parametrize(
    ("note", "progress", "step"),
    [
        ("已完成摸排。", "已完成摸排。", ""),
        ("已完成摸排。\n下一步：召开专题会议", "已完成摸排。", "召开专题会议"),
        ("已完成摸排。下一步工作打算：制定方案", "已完成摸排。", "制定方案"),
        ("已完成摸排；下一步计划：10月底前整改到位", "已完成摸排", "10月底前整改到位"),
        ("下一步：先摸底", "", "先摸底"),
        ("Survey done.\nNext step: hold a meeting", "Survey done.", "hold a meeting"),
        ("Survey done. Next steps: draft the plan", "Survey done.", "draft the plan"),
        # prose that merely contains the words is not a plan
        ("按照下一步骤推进", "按照下一步骤推进", ""),
        ("Moved to Nextcloud.", "Moved to Nextcloud.", ""),
        ("已完成，下一步：验收", "已完成", "验收"),
        ("Done, next step we meet", "Done, next step we meet", ""),
    ],
)
def test_split_next_step(note: str, progress: str, step: str) -> None:
    assert split_next_step(note) == (progress, step)
