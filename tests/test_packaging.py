"""A non-editable install, run from elsewhere, still speaks Chinese: the catalogs ship inside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import sample

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("bot", "handlers", "jobs", "storage", "locales", "pyproject.toml", "README.md")


def _fresh_clone(dest: Path) -> Path:
    """The sources as a clone has them: no compiled catalogs, no build leftovers."""
    src = dest / "src"
    src.mkdir()
    for name in SHIPPED:
        path = ROOT / name
        if path.is_dir():
            ignore = shutil.ignore_patterns("*.mo", "__pycache__", "*.egg-info")
            shutil.copytree(path, src / name, ignore=ignore)
        else:
            shutil.copy(path, src / name)
    return src


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )


def test_installed_package_prints_the_chinese_headline(tmp_path: Path) -> None:
    src = _fresh_clone(tmp_path)
    target = tmp_path / "site"
    pip = [
        "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
        "--target", str(target), str(src),
    ]  # fmt: skip
    installed = _run(pip, tmp_path, dict(os.environ))
    assert installed.returncode == 0, installed.stderr
    assert sorted(p.name for p in (target / "locales" / "zh_CN" / "LC_MESSAGES").iterdir()) == [
        "cadence.po"
    ]
    box = target / "bot" / "sandbox"  # the sandbox serves its page and seeds from package data
    assert sorted(p.name for p in (box / "static").iterdir()) == [
        "app.js",
        "index.html",
        "style.css",
    ]
    assert (box / "data" / "ledger.zh.csv").read_bytes() == sample("ledger.zh.csv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "ledger.csv").write_bytes(sample("ledger.zh.csv"))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(target),
        "DATABASE_URL": f"sqlite:///{elsewhere / 'cadence.db'}",
        "HOME": str(tmp_path),
    }
    where = _run(["-c", "import bot; print(bot.__file__)"], elsewhere, env)
    assert where.stdout.strip() == str(target / "bot" / "__init__.py")
    for step in (["migrate"], ["import", "ledger.csv", "--programme", "巡视整改"]):
        done = _run(["-m", "bot", *step], elsewhere, env)
        assert done.returncode == 0, done.stderr
    summary = _run(
        ["-m", "bot", "summary", "--programme", "巡视整改", "--as-of", "2024-09-30"], elsewhere, env
    )
    assert summary.returncode == 0, summary.stderr
    assert "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。" in summary.stdout
