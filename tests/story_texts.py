"""The words the six-week story expects, in each language."""

from __future__ import annotations

from typing import Any

from story_texts_en import EN
from story_texts_zh import ZH

TEXTS: dict[str, dict[str, Any]] = {"zh_CN": ZH, "en": EN}
