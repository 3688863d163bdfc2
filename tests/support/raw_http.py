"""Tiny threaded socket servers that speak (or fail to speak) HTTP, for the network-deadline and hostile-answer
tests: a drip server (one byte of a header every few seconds), a scripted server (raw bytes, whatever they are),
and a recording proxy (what a proxy would read)."""

from __future__ import annotations

import select
import socket
import threading
from collections.abc import Sequence
from typing import Any


class _Server:
    """Listens on 127.0.0.1; ``handle(conn)`` runs in a thread per connection. ``stop()`` closes everything."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.stopped = threading.Event()
        self._conns: list[socket.socket] = []
        self.requests: list[bytes] = []  # each request's head (request line and headers), as received
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            with conn:
                head = b""
                conn.settimeout(5)
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                self.requests.append(head.split(b"\r\n\r\n")[0])
                self.handle(conn)
        except OSError:
            pass

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def held_open(self) -> int:
        """How many of the connections served so far the client still holds open, now: one it closed or shut
        down reads as end of file at once (a look that waits for nothing and consumes nothing)."""
        count = 0
        for conn in list(self._conns):
            try:
                readable, _, _ = select.select([conn], [], [], 0)
                if not readable or conn.recv(1, socket.MSG_PEEK):
                    count += 1  # nothing to read (the client is quiet but there), or more of its bytes
            except (OSError, ValueError):
                continue  # closed here: the exchange is over
        return count

    def stop(self) -> None:
        self.stopped.set()
        self._listener.close()
        for conn in self._conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class DripServer(_Server):
    """Answers every request with ``HTTP/1.1 200 OK`` and headers, one byte every ``every`` seconds, never
    finishing: each socket read gets a byte, so no read timeout ever fires."""

    def __init__(self, every: float = 0.2) -> None:
        self.every = every
        super().__init__()

    def handle(self, conn: socket.socket) -> None:
        answer = b"HTTP/1.1 200 OK\r\n" + b"X-Drip: " + b"." * 100_000
        for byte in answer:
            if self.stopped.wait(self.every):
                return
            conn.sendall(bytes([byte]))


class ScriptedServer(_Server):
    """Answers the n-th request with ``script[n]`` (raw bytes, sent as they are; the last one repeats), then
    closes the connection."""

    def __init__(self, script: Sequence[bytes]) -> None:
        self.script = list(script)
        self._lock = threading.Lock()
        self._served = 0
        super().__init__()

    def handle(self, conn: socket.socket) -> None:
        with self._lock:
            answer = self.script[min(self._served, len(self.script) - 1)]
            self._served += 1
        conn.sendall(answer)


class RecordingProxy(_Server):
    """A forward proxy that records each request it is sent (the headers a real proxy could read) and answers
    502 without forwarding anything."""

    def handle(self, conn: socket.socket) -> None:
        conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
