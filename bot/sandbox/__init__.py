"""The sandbox: the real bot against an embedded Bot API server, and a page that plays Telegram.

`server.py` (with `state.py`, `objects.py`, `limits.py`) speaks the Bot API over HTTP on
127.0.0.1 — the test suite's fake Telegram is this same server. `runner.py` seeds and runs the
bot against it, `page.py` serves the page, `main.py` is `python -m bot sandbox`.
"""
