"""One HTTP GET with a total deadline (connect, headers and body together), for the GitHub client and the site
check, with stdlib urllib only.

- The deadline: :func:`tui.domain.deadline.within`; when it passes, the connection's socket is shut down, so the
  abandoned exchange ends at once instead of reading a dripping server for ever.
- Plain http never goes through a proxy: urllib would send even a loopback request to ``http_proxy``, and the
  proxy would read every header (the GitHub token). https goes through one as a CONNECT tunnel, still encrypted.
- At most ``max_bytes`` of the body are read; ``Answer.truncated`` says there was more.
- One TLS context for the process, made at the first exchange: ``ssl.create_default_context()`` loads the
  system's CA certificates each time (30 ms of CPU a GET here; 17 s of the test suite's). An
  SSLContext holds configuration only, and every connection wrapped from it is its own.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from tui.domain.deadline import DeadlinePassed, within

__all__ = ["Answer", "DeadlinePassed", "get"]


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: dict[str, str]  # names lower-cased; a repeated header keeps its last value
    body: bytes
    truncated: bool = False


class _Connections:
    """The connections one exchange opened (redirects open more), shut down together when its deadline passes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[http.client.HTTPConnection] = []
        self._closed = False

    def add(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._open.append(connection)
            closed = self._closed
        if closed:
            _shut(connection)

    @property
    def closed(self) -> bool:
        return self._closed

    def shut_all(self) -> None:
        with self._lock:
            self._closed = True
            connections = list(self._open)
        for connection in connections:
            _shut(connection)


def _shut(connection: http.client.HTTPConnection) -> None:
    sock = connection.sock  # the plain socket while TLS shakes hands, the TLS one after
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)  # a blocked recv in the exchange's thread returns at once
    except OSError:
        pass


class _Watched(http.client.HTTPConnection):
    def __init__(self, *args: Any, watch: _Connections, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watch = watch
        watch.add(self)

    def connect(self) -> None:
        if self.watch.closed:  # a redirect followed after the deadline: the exchange is over
            raise ConnectionAbortedError("the deadline has passed")
        super().connect()


class _WatchedTLS(http.client.HTTPSConnection):
    def __init__(self, *args: Any, watch: _Connections, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watch = watch
        watch.add(self)

    def connect(self) -> None:
        if self.watch.closed:
            raise ConnectionAbortedError("the deadline has passed")
        super().connect()


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, watch: _Connections) -> None:
        super().__init__()
        self.watch = watch

    def http_open(self, req: Any) -> Any:
        return self.do_open(partial(_Watched, watch=self.watch), req)


@lru_cache(maxsize=1)
def _tls() -> ssl.SSLContext:
    """The default context (certificates verified against the system's CAs, host names checked)."""
    return ssl.create_default_context()


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Connections) -> None:
        super().__init__(context=_tls())  # (without one, Python 3.12+ makes a context here, CAs and all)
        self.watch = watch

    def https_open(self, req: Any) -> Any:
        return self.do_open(partial(_WatchedTLS, watch=self.watch), req, context=_tls())


class _NoProxyForPlainHttp(urllib.request.ProxyHandler):
    """The environment's proxies for https only (a CONNECT tunnel keeps the exchange encrypted)."""

    def __init__(self) -> None:
        super().__init__({k: v for k, v in urllib.request.getproxies().items() if k == "https"})


def get(
    url: str,
    headers: dict[str, str],
    *,
    deadline: float,
    max_bytes: int,
    handlers: tuple[urllib.request.BaseHandler, ...] = (),
    unredirected: dict[str, str] | None = None,
) -> Answer:
    """GET ``url``: the answer (a 4xx or 5xx is an answer too), or :class:`DeadlinePassed` after ``deadline``
    seconds, or the exception urllib or http.client raised (URLError, HTTPException, OSError, ValueError).
    ``unredirected`` headers are not copied to a redirect (the handlers decide)."""
    watch = _Connections()
    opener = urllib.request.OpenerDirector()
    for handler in (
        _NoProxyForPlainHttp(),
        urllib.request.UnknownHandler(),
        _HTTP(watch),
        _HTTPS(watch),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        *handlers,
    ):
        opener.add_handler(handler)
    if not any(isinstance(h, urllib.request.HTTPRedirectHandler) for h in handlers):
        opener.add_handler(urllib.request.HTTPRedirectHandler())
    request = urllib.request.Request(url, headers=headers)
    for name, value in (unredirected or {}).items():
        request.add_unredirected_header(name, value)

    def exchange() -> Answer:
        try:
            response = opener.open(request, timeout=deadline)
        except urllib.error.HTTPError as answer:
            response = answer
        with response:
            body = _read(response, max_bytes + 1) if response.fp is not None else b""
            status = response.status if getattr(response, "status", None) is not None else response.code
            found = {k.lower(): v for k, v in (response.headers or {}).items()}
        return Answer(int(status), found, body[:max_bytes], truncated=len(body) > max_bytes)

    return within(deadline, exchange, on_expiry=watch.shut_all)


def _read(response: Any, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = response.read1(min(left, 64 * 1024)) if hasattr(response, "read1") else response.read(left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
