"""One sandbox per folder: a lock the system frees when its process ends, however it ends."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from bot.sandbox import words
from core.i18n import Tr


class FolderTaken(RuntimeError):
    """Another sandbox runs on this folder (at `url`, when it got as far as saying where)."""

    def __init__(self, folder: Path, url: str) -> None:
        super().__init__(f"the folder {folder} is used by the sandbox at {url or '?'}")
        self.folder, self.url = folder, url

    def line(self, t: Tr) -> str:
        """What the operator reads: the cause and the way out, in one line."""
        return t._(words.FOLDER_TAKEN, folder=str(self.folder), url=self.url or "?")


class FolderLock:
    """An exclusive flock on <folder>/sandbox.lock, which also names the holder's page."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "sandbox.lock"
        self._fd: int | None = None

    def acquire(self, url: str) -> None:
        """Hold the folder and write where this sandbox is; FolderTaken if another holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            # flock, not lockf: a second open in the same process conflicts too (the tests)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise FolderTaken(self.path.parent, self.path.read_text().strip()) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, url.encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Let another sandbox have the folder (the file stays: removing it would race)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
