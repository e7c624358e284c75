"""`python -m bot summary` loads only what it needs: no Telegram, no handlers, no spreadsheets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import sample

from bot.cli import TOKEN_REJECTED, _one_line
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
# what a printed /summary never needs (python-docx still comes with core.render.digest)
HEAVY = ["telegram", "apscheduler", "handlers", "jobs", "PIL", "openpyxl"]
PROBE = """
import sys
from bot.cli import main
code = main(["summary", "--programme", "整改", "--as-of", "2024-09-30"])
loaded = sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[1:]))
print("loaded:", ",".join(loaded), code, file=sys.stderr)
"""


def test_summary_imports_no_telegram_and_no_handlers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "CADENCE_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'c.db'}"
    env["PYTHONPATH"] = str(ROOT)
    (tmp_path / "l.csv").write_bytes(sample("ledger.zh.csv"))
    for args in (["migrate"], ["import", "l.csv", "--programme", "整改"]):
        step = subprocess.run(
            [sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, capture_output=True
        )
        assert step.returncode == 0, step.stderr
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.splitlines()[1] == (
        "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。"
    )
    assert done.stderr.splitlines()[-1] == "loaded:  0"


def test_a_rejected_token_is_told_only_where_telegram_was_loaded() -> None:
    from telegram.error import InvalidToken

    settings = Settings(_env_file=None)
    assert _one_line(InvalidToken("bad"), settings) == (TOKEN_REJECTED, 2)
    assert _one_line(ValueError("other"), settings) is None
