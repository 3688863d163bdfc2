"""Prove the site is live: an HTTPS GET of the site URL (status, time, TLS validity), the site bucket's objects
updated by the web build, the CloudFront invalidation it created, and optionally the commit the site serves.

Pure checks on injected collaborators: ``fetch`` (an HTTP GET; :func:`http_get` by default) and a gateway with
``objects_since`` and ``invalidation`` (tui/aws/site.py). Every failure is a sentence; ``could_not_check`` says
the answer is unknown (AWS unreachable, no deployment yet) rather than bad.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from tui.domain.errors import PipelineTuiError
from tui.domain.net import is_loopback
from tui.domain.text import own_remote_text, plain
from tui.services.site_source import nothing_uploaded

MAX_LISTED = 10_000  # objects of the site bucket read (ListObjectsV2: tui/aws/site.py MAX_LISTED)

TIMEOUT = 10.0  # seconds for the whole GET: connect, headers and body together
MAX_BYTES = 256 * 1024  # of the page read for the marker; the rest is never read
MAX_REDIRECTS = 5
MARKER_MAX = 40  # characters of a commit id shown


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    ms: int
    tls_valid: bool | None  # None: plain http (loopback)
    headers: dict[str, str]
    body: bytes


class FetchError(Exception):
    """The GET got no HTTP answer: ``sentence`` says why; ``tls_valid`` is False for a certificate failure."""

    def __init__(self, sentence: str, tls_valid: bool | None = None) -> None:
        super().__init__(sentence)
        self.sentence, self.tls_valid = sentence, tls_valid


class Reads(Protocol):
    def objects_since(self, bucket: str, since: datetime | None) -> Any: ...
    def invalidation(self, distribution_id: str, since: datetime | None) -> Any: ...


@dataclass(frozen=True, slots=True)
class SiteCheck:
    url: str | None = None
    http_status: int | None = None
    ms: int | None = None
    tls_valid: bool | None = None
    objects_updated: int | None = None
    newest_object: str | None = None
    invalidation: str | None = None
    invalidation_id: str | None = None
    commit_seen: str | None = None
    ok: bool = False
    error: str | None = None
    could_not_check: bool = False
    problems: tuple[str, ...] = field(default=(), repr=False)
    #: what was checked only in part, or found fine in another way (a sync that had nothing to upload)
    notes: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        own_remote_text(self)

    def as_dict(self) -> dict[str, Any]:
        """The ``status --json`` "site" object."""
        keys = ("url", "http_status", "ms", "tls_valid", "objects_updated", "invalidation", "commit_seen", "ok")
        data = {k: v for k, v in asdict(self).items() if k in keys}
        data["error"] = self.error
        data["notes"] = list(self.notes)
        return data

    @property
    def settling(self) -> bool:
        """Only CloudFront's invalidation is still in progress (it takes minutes after every deployment): not a
        failure yet, worth checking again."""
        return not self.ok and self.invalidation == "InProgress" and len(self.problems) == 1

    def summary(self) -> str:
        """One line: ``site ✓ 200 · 84 ms · invalidation Completed · serves 3f9c2a1`` or the failure."""
        if self.could_not_check:
            return f"site ? {self.error}"
        glyph = "✓" if self.ok else ("◌" if self.settling else "✗")
        parts = [f"site {glyph} {self.http_status if self.http_status is not None else '—'}"]
        if self.ms is not None:
            parts.append(f"{self.ms} ms")
        if self.invalidation:
            parts.append(f"invalidation {self.invalidation}")
        if self.commit_seen:
            parts.append(f"serves {self.commit_seen[:7]}")
        return " · ".join(parts)


def allowed_url(url: str) -> str | None:
    """Why ``url`` is not checked, or None: https anywhere, plain http only to a loopback address."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return None
    return f"{plain(url)[:80]} is not an https address (plain http is checked only on this computer's loopback)."


class _HttpsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an https address (or loopback http), at most MAX_REDIRECTS times."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        target = urllib.parse.urljoin(req.full_url, newurl)
        downgrade = req.full_url.startswith("https:") and not target.startswith("https:")  # not even to loopback
        if allowed_url(target) is not None or downgrade:
            raise FetchError(f"The site redirected to {plain(newurl)[:80]}; pipeline-tui does not follow it there.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def http_get(url: str, timeout: float | None = None, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url`` (certificate verified) within ``timeout`` seconds (default :data:`TIMEOUT`) in all: connect,
    headers and body; at most ``max_bytes`` of the body are read."""
    from tui.services import http_fetch

    timeout = timeout or TIMEOUT
    started = time.monotonic()
    tls = True if url.startswith("https:") else None
    try:
        got = http_fetch.get(
            url,
            {"User-Agent": "pipeline-tui-verify"},
            deadline=timeout,
            max_bytes=max_bytes,
            handlers=(_HttpsOnly(),),
        )
    except FetchError:
        raise
    except http_fetch.DeadlinePassed:
        raise FetchError(f"The site did not answer within {timeout:g} s.") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, ssl.SSLCertVerificationError):
            raise FetchError(f"The site's TLS certificate is not valid ({reason.verify_message}).", False) from None
        if isinstance(reason, TimeoutError | socket.timeout):
            raise FetchError(f"The site did not answer within {timeout:g} s.") from None
        raise FetchError(f"The site could not be reached ({plain(str(reason))[:120]}).") from None
    except http.client.HTTPException as exc:
        raise FetchError(f"The site's answer is not valid HTTP ({type(exc).__name__}).") from None
    except (OSError, ValueError) as exc:
        raise FetchError(f"The site could not be reached ({plain(str(exc))[:120] or 'timed out'}).") from None
    return Fetched(got.status, round((time.monotonic() - started) * 1000), tls, got.headers, got.body)


def find_marker(pattern: str | None, revision: str | None, headers: dict[str, str], body: bytes) -> str | None:
    """The commit id the site serves: ``pattern``'s first group (or whole match) in a header line or the page;
    without a pattern, the execution's commit id itself where it appears. Raises ValueError for a bad pattern."""
    if pattern:
        try:
            compiled = re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise ValueError(f"site_marker is not a valid regular expression ({exc}).") from None
    elif revision and re.fullmatch(r"[0-9a-fA-F]{7,64}", revision):
        compiled = re.compile(re.escape(revision[:7]) + r"[0-9a-fA-F]*")
    else:
        return None
    text = "\n".join(f"{k}: {v}" for k, v in headers.items()) + "\n" + body.decode("utf-8", "replace")
    found = compiled.search(text)
    if found is None:
        return None
    seen = found.group(1) if compiled.groups and found.group(1) is not None else found.group(0)
    return plain(seen).strip()[:MARKER_MAX] or None


def _age(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    minutes = max(0, int((now - since).total_seconds() // 60))
    return f" after {minutes} min" if minutes else " after less than a minute"


def check_site(
    url: str | None,
    reads: Reads | None,
    *,
    bucket: str | None = None,
    distribution_id: str | None = None,
    since: datetime | None = None,
    revision: str | None = None,
    marker: str | None = None,
    fetch: Callable[[str], Fetched] = http_get,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    source: tuple[str, str] | None = None,
    buildspec: str | None = None,
) -> SiteCheck:
    """Run every check that has what it needs; the first problem is ``error``, all are in ``problems``.
    ``source``: the web build's source artifact (bucket, key), the judge when its sync changed no object
    (:mod:`tui.services.site_source`; ``buildspec`` is the web buildspec's path in it)."""
    if not url:
        return SiteCheck(
            error="No site URL: the infra build exports no site_url and the config has none.", could_not_check=True
        )
    refused = allowed_url(url)
    if refused is not None:
        return SiteCheck(url=url, error=refused, could_not_check=True)
    values: dict[str, Any] = {"url": url}
    problems: list[str] = []
    unknown = 0  # problems that are AWS refusing or failing to answer, not the site failing
    try:
        got = fetch(url)
        values.update(http_status=got.status, ms=got.ms, tls_valid=got.tls_valid)
        if not 200 <= got.status < 300:
            problems.append(f"The site answers {got.status}.")
        try:
            values["commit_seen"] = find_marker(marker, revision, got.headers, got.body)
        except ValueError as exc:
            problems.append(str(exc))
        seen = values["commit_seen"]
        if marker and seen and revision and not (revision.startswith(seen) or seen.startswith(revision)):
            problems.append(f"The site serves {seen[:12]}, not the deployed commit {revision[:7]}.")
    except FetchError as exc:
        values["tls_valid"] = exc.tls_valid
        problems.append(exc.sentence)
    notes: list[str] = []
    if reads is not None and bucket:
        try:
            objects = reads.objects_since(bucket, since)
            values["objects_updated"] = objects.updated
            values["newest_object"] = objects.newest.isoformat() if objects.newest else None
            if getattr(objects, "truncated", False):
                notes.append(
                    f"Bucket {bucket} holds more than {MAX_LISTED:,} objects: the objects updated were counted "
                    f"among the first {MAX_LISTED:,} only (a sample)."
                )
            if since is not None and objects.updated == 0:
                fine, sentence = nothing_uploaded(reads, source, bucket, objects, revision, buildspec)
                (notes if fine else problems).append(sentence)
        except PipelineTuiError as exc:
            problems.append(exc.sentence)
            unknown += 1
    if reads is not None and distribution_id:
        try:
            inv = reads.invalidation(distribution_id, since)
            if inv is None:
                problems.append(f"The web build created no CloudFront invalidation on {distribution_id}.")
            else:
                values.update(invalidation=inv.status, invalidation_id=inv.id)
                if inv.status != "Completed":
                    problems.append(
                        f"CloudFront still serves the old version: invalidation {inv.id[:4]}… "
                        f"is {inv.status}{_age(inv.created, now())}."
                    )
        except PipelineTuiError as exc:
            problems.append(exc.sentence)
            unknown += 1
    return SiteCheck(
        **values,
        ok=not problems,
        error=" ".join(problems) or None,
        could_not_check=0 < unknown == len(problems),
        problems=tuple(problems),
        notes=tuple(notes),
    )


def verify_deployment(
    codepipeline: Any,
    s3: Any,
    cloudfront: Any,
    pipeline: str,
    *,
    site_url: str | None = None,
    marker: str | None = None,
    execution_id: str | None = None,
    fetch: Callable[[str], Fetched] = http_get,
    buildspec: str | None = None,
) -> SiteCheck:
    """Check the newest successful web deployment of ``pipeline`` (or that of ``execution_id``): the infra
    outputs name the URL (``site_url`` from the config wins), the bucket and the distribution."""
    from tui.aws.site import SiteGateway

    gateway = SiteGateway(codepipeline, s3, cloudfront)
    try:
        deploy = gateway.web_deploy(pipeline, execution_id)
    except PipelineTuiError as exc:
        return SiteCheck(url=site_url, error=exc.sentence, could_not_check=True)
    if deploy is None:
        which = f"execution {execution_id}" if execution_id else pipeline
        return SiteCheck(
            url=site_url, error=f"No web deployment of {which} succeeded yet: nothing to check.", could_not_check=True
        )
    return check_site(
        site_url or deploy.outputs.get("site_url"),
        gateway,
        bucket=deploy.outputs.get("bucket_name"),
        distribution_id=deploy.outputs.get("distribution_id"),
        since=deploy.started,
        revision=deploy.revision,
        marker=marker,
        fetch=fetch,
        source=deploy.source,
        buildspec=buildspec,
    )


def check_pipeline(clients: Any, pipeline: str, config: Any, execution_id: str | None = None) -> SiteCheck:
    """:func:`verify_deployment` with the config's ``site_url``/``site_marker`` (those of the configured
    pipeline only; ``config`` may be None)."""
    mine = config is not None and config.pipeline_name == pipeline
    return verify_deployment(
        clients.codepipeline,
        clients.s3,
        clients.cloudfront,
        pipeline,
        site_url=config.site_url if mine else None,
        marker=config.site_marker if mine else None,
        execution_id=execution_id,
        buildspec=config.web_buildspec if mine else None,
    )


def web_deployed(snap: Any) -> str | None:
    """The execution id whose web deployment ``snap`` shows as succeeded, or None (nothing to check)."""
    from tui.aws.site import WEB_STAGE
    from tui.domain.models import Status

    stage = next((s for s in snap.stages if s.name == WEB_STAGE), None)
    if stage is None or stage.status is not Status.SUCCEEDED:
        return None
    return stage.execution_id or (snap.execution.execution_id if snap.execution else None)
