"""What `run` checks about a build's inputs before StartBuild (:mod:`tui.services.standalone` works it out):
- CodeBuild's ``sourceIdentifier`` allows only letters, digits and underscores, fewer than 128 characters
  (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html), while CodePipeline artifact
  names may contain ``-`` (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_OutputArtifact.html);
- an input artifact the artifact bucket's lifecycle rule already expired would fail the build only in
  DOWNLOAD_SOURCE, after StartBuild: HeadObject finds it first, and nothing is started."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tui.domain.errors import NotFound
from tui.domain.text import plain

if TYPE_CHECKING:
    from tui.aws.gateways import ArtifactsGateway
    from tui.services.standalone import StandaloneRequest

SOURCE_IDENTIFIER_MAX = 127
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9_]")
_FITS = re.compile(r"[A-Za-z0-9_]{1,127}")


class InputExpired(NotFound):
    """An input artifact is gone from the artifact bucket (exit 4): run the whole pipeline for new ones."""


def source_identifiers(names: Iterable[str]) -> list[str]:
    """Each artifact name as a ``sourceIdentifier`` CodeBuild accepts. A name that fits is kept (the build sees
    ``CODEBUILD_SRC_DIR_<name>`` as in the pipeline); in another, each other character becomes ``_`` (at most
    127 characters), told apart from the kept ones and from each other by ``_2``, ``_3`` …"""
    given = list(names)
    out: list[str | None] = [n if _FITS.fullmatch(n) else None for n in given]
    taken = {n for n in out if n}
    for i, name in enumerate(given):
        if out[i] is not None:
            continue
        base = _NOT_ALLOWED.sub("_", name)[:SOURCE_IDENTIFIER_MAX] or "source"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            suffix = f"_{n}"
            candidate = base[: SOURCE_IDENTIFIER_MAX - len(suffix)] + suffix
        taken.add(candidate)
        out[i] = candidate
    return [n or "" for n in out]


def check_inputs(request: StandaloneRequest, store: ArtifactsGateway) -> None:
    """Raise :class:`InputExpired` when an input artifact of ``request`` is no longer in S3."""
    for artifact in [a for a in (request.primary, *request.secondary) if a is not None]:
        if store.exists(artifact.bucket, artifact.key) is not False:
            continue
        rule = store.expiration(artifact.bucket, artifact.key)
        which = (
            f"lifecycle rule {rule.rule_id}, which expires artifacts after {rule.days} days"
            if rule is not None
            else "lifecycle rule (expiration)"
        )
        of = f" of execution {request.execution_id[:8]}" if request.execution_id else ""
        raise InputExpired(
            plain(
                f"The input artifact {artifact.name}{of} is gone from s3://{artifact.bucket}/{artifact.key}: the "
                f"artifact bucket's {which}, deleted it, so nothing was started; run the whole pipeline for new "
                f"artifacts: press s in the dashboard, or `aws codepipeline start-pipeline-execution --name "
                f"{request.pipeline}`."
            )
        )
