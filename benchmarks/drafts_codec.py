"""CPU per person of the typed drafts' codec against the dict user_data it replaced (issue 23):
python -m benchmarks.drafts_codec; interleaved rounds, medians of process CPU time."""

from __future__ import annotations

import dataclasses
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from handlers.drafts import AnswerDraft, Evidence, UserDrafts
from handlers.drafts_codec import decode, encode

PHOTO = Evidence("f1", "u1", "photo-u1.jpg", "photo", "image/jpeg", 2048)
# a person mid-answer, with two files: the largest draft most people hold
TYPED = UserDrafts(
    draft=AnswerDraft(
        id=3, programme_id=1, measure_id=14, code="1.3.2", health="on_track",
        note="已完成方案编制", percent=80, files=[PHOTO, PHOTO], step=4,
    ),
    draft_seq=3,
)  # fmt: skip
PLAIN: dict[str, Any] = {
    "draft_seq": 3,
    "draft": {
        "id": 3, "programme_id": 1, "measure_id": 14, "code": "1.3.2", "health": "on_track",
        "note": "已完成方案编制", "percent": 80, "signoff": False, "step": 4,
        "files": [dataclasses.asdict(PHOTO), dataclasses.asdict(PHOTO)],
    },
}  # fmt: skip
PLAIN_ROW = json.dumps(PLAIN, ensure_ascii=False)
TYPED_ROW = json.dumps(encode(TYPED), ensure_ascii=False)


def _cpu_us(work: Callable[[], object], n: int = 2000) -> float:
    start = time.process_time()
    for _ in range(n):
        work()
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    """Print the medians of 15 interleaved rounds, dict user_data first in each."""
    pairs: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
        (
            "write (encode + dumps)",
            lambda: json.dumps(PLAIN, ensure_ascii=False),
            lambda: json.dumps(encode(TYPED), ensure_ascii=False),
        ),
        ("read (loads + decode)", lambda: json.loads(PLAIN_ROW), lambda: decode(json.loads(TYPED_ROW))),
    ]  # fmt: skip
    for label, before, after in pairs:
        old: list[float] = []
        new: list[float] = []
        for _ in range(15):
            old.append(_cpu_us(before))
            new.append(_cpu_us(after))
        a, b = statistics.median(old), statistics.median(new)
        print(f"{label}: dict {a:.1f} µs, typed {b:.1f} µs, ratio {b / a:.1f}×")


if __name__ == "__main__":
    main()
