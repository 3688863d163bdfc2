"""tui.services.http_fetch: the system's CA certificates are loaded once per process, not once per GET (30 ms
of CPU each), into a context that verifies (tests/services/test_site_check.py: an untrusted certificate is
refused)."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from tests.support.raw_http import ScriptedServer
from tui.services import http_fetch

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


def test_the_ca_certificates_are_loaded_once_for_every_exchange(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[ssl.SSLContext] = []
    original = ssl.create_default_context

    def counted(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        made.append(original(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(ssl, "create_default_context", counted)
    http_fetch._tls.cache_clear()
    try:
        with ScriptedServer([OK]) as server:
            answers = [http_fetch.get(server.url, {}, deadline=5, max_bytes=10) for _ in range(20)]
    finally:
        http_fetch._tls.cache_clear()  # the next test's context is a real one again
    assert [a.body for a in answers] == [b"ok"] * 20
    assert len(made) == 1
    assert made[0].verify_mode is ssl.CERT_REQUIRED and made[0].check_hostname
