"""The Bot API over aiohttp, form-encoded as PTB sends it: about a quarter of httpx's CPU per request."""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

HEADERS = {"User-Agent": BaseRequest.USER_AGENT}


def _add(first: float | None, second: float | None) -> float | None:
    return None if first is None or second is None else first + second


@cache
def _tls() -> ssl.SSLContext:
    """certifi's roots, as httpx used them (a slim image may have no system CA bundle); read once
    for both of the bot's requests (updates and the rest)."""
    return ssl.create_default_context(cafile=certifi.where())


class AiohttpRequest(BaseRequest):
    """PTB's HTTPXRequest contract (timeouts, errors) on aiohttp, which Cadence already carries.

    Measured (benchmarks/RESULTS.md, issue 27, h27cpu): httpx spends ~0.9 ms of CPU on a
    sendMessage, aiohttp ~0.25 ms. Timeouts map as httpx's do: connect and pool
    waits raise aiohttp's ConnectionTimeoutError (the request never left: safe to retry, see
    jobs/timeouts.py), a read timeout its SocketTimeoutError. aiohttp has no write timeout, so
    an upload is bounded by its read timeout once sent.
    """

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read, self._connect, self._pool = read_timeout, connect_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds getUpdates' long-poll timeout to it)."""
        return self._read

    async def initialize(self) -> None:
        """Open the session: it needs the running loop, so not in __init__."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=_tls())
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One request; TimedOut or NetworkError (the exception as its cause) when it fails."""
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        body: Any = None
        if files:
            form = aiohttp.FormData(quote_fields=False)  # UTF-8 file names, as httpx sent them
            for name, value in request_data.json_parameters.items():  # type: ignore[union-attr]
                form.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            body = form
        elif request_data:
            # form-encoded, the body PTB's httpx sends: every Bot API server reads it (the JSON
            # body saved a few microseconds, not worth a server that reads only forms)
            body = request_data.json_parameters
        read = self._given(read_timeout, self._read)
        connect = self._given(connect_timeout, self._connect)
        pool = self._given(pool_timeout, self._pool)
        # aiohttp's `connect` covers the wait for a pooled connection and the connecting
        timeout = aiohttp.ClientTimeout(
            total=None, connect=_add(pool, connect), sock_connect=connect, sock_read=read
        )
        try:
            async with self._session.request(
                method, url, data=body, headers=HEADERS, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    @staticmethod
    def _given(value: Any, default: float | None) -> float | None:
        return default if isinstance(value, DefaultValue) else value
