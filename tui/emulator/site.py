"""The deployed site, served on loopback as CloudFront would serve it from the site bucket: GET
``<base>/<bucket>/<key>`` answers the object (``index.html`` for a path ending in ``/``), 404 otherwise.

Mounted by the emulator server under ``/_pipeline_tui/site/`` (tui/emulator/control.py), which sets
``state().site_base_url`` so that the infra build's ``site_url`` output points here; :class:`SiteServer` serves
the same on a port of its own (the in-process emulator: tests, no HTTP server).
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from tui.emulator.moto_compat import DEFAULT_ACCOUNT_ID, s3_backends
from tui.emulator.state import LOCK, state

SITE_ROUTE = "site/"


def site_object(path: str, account_id: str = DEFAULT_ACCOUNT_ID) -> tuple[int, str, bytes]:
    """(status, content type, body) of ``/<bucket>/<key>``."""
    bucket, _, key = unquote(path).lstrip("/").partition("/")
    if not key or key.endswith("/"):
        key += "index.html"
    with LOCK:
        backend = s3_backends[account_id]["aws"]
        found = backend.buckets.get(bucket)
        obj = found.keys.get(key) if found is not None else None
        body = bytes(obj.value) if obj is not None else b""
    if obj is None:
        return 404, "text/html", b"<h1>404 Not Found</h1>"
    return 200, mimetypes.guess_type(key)[0] or "application/octet-stream", body


def site_app(path: str, method: str, start_response: Callable[..., Any]) -> list[bytes]:
    if method not in ("GET", "HEAD"):
        status, kind, body = 405, "text/plain", b"Method Not Allowed"
    else:
        status, kind, body = site_object(path)
    reason = {200: "OK", 404: "Not Found", 405: "Method Not Allowed"}[status]
    start_response(f"{status} {reason}", [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [b"" if method == "HEAD" else body]


class SiteServer:
    """The site on a loopback port of its own, for the in-process emulator; sets ``state().site_base_url``."""

    def __init__(self) -> None:
        from werkzeug.serving import make_server

        def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
            return site_app(environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET"), start_response)

        self._server: Any = make_server("127.0.0.1", 0, app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="emulator-site", daemon=True)

    def __enter__(self) -> SiteServer:
        self._thread.start()
        state().site_base_url = self.base_url
        return self

    def __exit__(self, *exc: object) -> None:
        state().site_base_url = None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
