"""The site check (tui/services/site_check.py): a real HTTP GET of a loopback site, the bucket's objects and
the CloudFront invalidation read from the emulator; failures come back as sentences."""

from __future__ import annotations

import http.server
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.aws import Account, make_account
from tui.aws.site import InvalidationState, Objects
from tui.services.site_check import allowed_url, check_site, find_marker, http_get, verify_deployment


class _Answer(http.server.BaseHTTPRequestHandler):
    status = 503
    body = b"<h1>Service Unavailable</h1>"
    headers_out: dict[str, str] = {}

    def do_GET(self) -> None:
        self.send_response(self.status)
        for key, value in self.headers_out.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        del args


@pytest.fixture
def site() -> Iterator[http.server.ThreadingHTTPServer]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _url(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


class _Reads:
    def __init__(self, status: str = "Completed", updated: int = 3) -> None:
        self.status, self.updated = status, updated
        self.created = datetime.now(UTC) - timedelta(minutes=5)

    def objects_since(self, bucket: str, since: datetime | None) -> Objects:
        return Objects(self.updated, self.created)

    def invalidation(self, distribution_id: str, since: datetime | None) -> InvalidationState:
        return InvalidationState("I2JX3ABCDEF", self.status, self.created)


def test_a_site_answering_503_is_reported(site: http.server.ThreadingHTTPServer) -> None:
    result = check_site(_url(site), _Reads(), bucket="b", distribution_id="E1", since=datetime.now(UTC))
    assert result.http_status == 503 and not result.ok and not result.could_not_check
    assert result.error == "The site answers 503."
    assert result.summary().startswith("site ✗ 503 · ") and "invalidation Completed" in result.summary()


def test_an_invalidation_stuck_in_progress_is_reported(site: http.server.ThreadingHTTPServer) -> None:
    _Answer.status, _Answer.body = 200, b"<html>ok</html>"
    try:
        result = check_site(_url(site), _Reads("InProgress"), bucket="b", distribution_id="E1", since=None)
    finally:
        _Answer.status, _Answer.body = 503, b"<h1>Service Unavailable</h1>"
    assert result.http_status == 200 and result.invalidation == "InProgress" and not result.ok
    assert result.error == "CloudFront still serves the old version: invalidation I2JX… is InProgress after 5 min."
    assert result.settling and result.summary().startswith("site ◌ 200")  # not a failure yet: worth a re-check


def test_plain_http_is_checked_only_on_loopback() -> None:
    assert allowed_url("https://example.com/") is None and allowed_url("http://[::1]:8080/") is None
    refused = check_site("http://example.com/", None)
    assert refused.could_not_check and refused.error is not None and "not an https address" in refused.error
    assert check_site(None, None).error == ("No site URL: the infra build exports no site_url and the config has none.")


def test_a_redirect_to_plain_http_is_not_followed(site: http.server.ThreadingHTTPServer) -> None:
    _Answer.status, _Answer.headers_out = 302, {"Location": "http://example.com/"}
    try:
        result = check_site(_url(site), None)
    finally:
        _Answer.status, _Answer.headers_out = 503, {}
    assert result.http_status is None and not result.ok
    assert result.error == "The site redirected to http://example.com/; pipeline-tui does not follow it there."


def test_the_marker_regex_finds_the_commit_in_a_header_or_the_page() -> None:
    assert find_marker(r"x-commit: ([0-9a-f]+)", None, {"x-commit": "3f9c2a1d"}, b"") == "3f9c2a1d"
    assert find_marker(None, "3f9c2a1d" * 5, {}, b"<!-- build 3f9c2a1d3f9c2a1d -->") == "3f9c2a1d3f9c2a1d"
    assert find_marker(None, "3f9c2a1d" * 5, {}, b"nothing") is None
    with pytest.raises(ValueError, match="site_marker is not a valid regular expression"):
        find_marker("([", None, {}, b"")


@given(pattern=st.text(max_size=30), body=st.binary(max_size=200))
def test_any_marker_pattern_is_a_sentence_or_a_short_plain_answer(pattern: str, body: bytes) -> None:
    try:
        seen = find_marker(pattern, None, {"server": "x"}, body)
    except ValueError as exc:
        assert str(exc).startswith("site_marker is not a valid regular expression")
        return
    assert seen is None or (0 < len(seen) <= 40 and "\x1b" not in seen and "\n" not in seen)


@pytest.fixture
def happy() -> Iterator[Account]:
    yield from make_account("happy")  # with the site served on loopback


def _verify(account: Account) -> Any:
    return verify_deployment(
        account.client("codepipeline"), account.client("s3"), account.client("cloudfront"), account.name
    )


def test_after_a_demo_run_the_site_check_passes(happy: Account) -> None:
    assert _verify(happy).error is not None and _verify(happy).could_not_check  # nothing deployed yet
    happy.finish()
    early = _verify(happy)  # CloudFront is still invalidating right after the deployment
    assert early.http_status == 200 and early.invalidation == "InProgress" and not early.ok
    assert early.url is not None and early.url.startswith("http://127.0.0.1:")
    happy.clock.advance(60)
    result = _verify(happy)
    assert result.ok, result.error
    assert result.invalidation == "Completed" and result.objects_updated and result.objects_updated > 0
    assert result.tls_valid is None and result.ms is not None


def _self_signed(tmp: Path) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp / "cert.pem", tmp / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(cert_file), str(key_file)


def test_an_untrusted_certificate_is_reported_as_not_valid(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = check_site(f"https://localhost:{server.server_address[1]}/", None)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert result.tls_valid is False and result.http_status is None and not result.ok
    assert result.error is not None and result.error.startswith("The site's TLS certificate is not valid (")


def test_the_page_is_read_only_up_to_the_limit(site: http.server.ThreadingHTTPServer) -> None:
    _Answer.status, _Answer.body = 200, b"x" * 5000
    try:
        got = http_get(_url(site), max_bytes=100)
    finally:
        _Answer.status, _Answer.body = 503, b"<h1>Service Unavailable</h1>"
    assert got.status == 200 and len(got.body) == 100 and got.tls_valid is None


def test_the_config_checks_site_url_and_site_marker() -> None:
    from tui.domain.errors import ConfigError
    from tui.services.config import AppConfig

    good = AppConfig.from_dict({"site_url": "https://www.example.com/", "site_marker": r"build ([0-9a-f]{7,40})"})
    assert good.site_url == "https://www.example.com/" and good.site_marker == r"build ([0-9a-f]{7,40})"
    with pytest.raises(ConfigError, match="'site_marker' is not a valid regular expression"):
        AppConfig.from_dict({"site_marker": "(["})
    with pytest.raises(ConfigError, match="'site_url' must be an https:// address"):
        AppConfig.from_dict({"site_url": "ftp://example.com"})


def test_aws_refusing_to_answer_is_could_not_check_not_a_failure(site: http.server.ThreadingHTTPServer) -> None:
    from tui.domain.errors import PipelineTuiError

    class Denied(_Reads):
        def objects_since(self, bucket: str, since: datetime | None) -> Objects:
            raise PipelineTuiError("AccessDenied: s3:ListBucket on b was refused.")

    _Answer.status, _Answer.body = 200, b"ok"
    try:
        result = check_site(_url(site), Denied(), bucket="b", distribution_id="E1", since=None)
    finally:
        _Answer.status, _Answer.body = 503, b"<h1>Service Unavailable</h1>"
    assert result.could_not_check and not result.ok and result.http_status == 200
    assert result.error == "AccessDenied: s3:ListBucket on b was refused."
