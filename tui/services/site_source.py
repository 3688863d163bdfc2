"""Does the site bucket already hold the deployed commit's files? Asked when the web build's ``aws s3 sync``
changed no object: the sync uploads only files whose size differs or whose local copy is newer than the object
(https://docs.aws.amazon.com/cli/latest/reference/s3/sync.html), so a run of a commit already deployed
legitimately uploads nothing.

The judge is the web build's own source artifact (the zip CodePipeline handed it): its buildspec's
``aws s3 sync DIR s3://BUCKET[/PREFIX]`` names the directory, and each file under DIR must be in the bucket
with its size and, where the ETag is the object's MD5 (a single-part upload), its MD5. Up to MAX_LISTED
objects are compared from the listing; in a bigger bucket a random SAMPLE of the files is compared with
HeadObject, and the answer says it sampled."""

from __future__ import annotations

import hashlib
import random
import re
import shlex
from dataclasses import dataclass
from typing import Any, Protocol

from tui.domain.text import plain

SAMPLE = 100
#: Where a web buildspec usually is (the config's ``web_buildspec`` is tried first).
BUILDSPECS = ("web/buildspec.yml", "buildspec.yml", "buildspec.yaml")
_MD5 = re.compile(r"[0-9a-f]{32}")


class SourceReads(Protocol):
    def archive(self, bucket: str, key: str) -> dict[str, bytes] | None: ...
    def head(self, bucket: str, key: str) -> tuple[int, str] | None: ...


@dataclass(frozen=True, slots=True)
class Match:
    matches: bool | None  # None: could not tell
    compared: int = 0
    files: int = 0
    sampled: bool = False
    reason: str = ""

    def sentence(self, bucket: str, revision: str | None) -> str:
        commit = f"commit {revision[:7]}" if revision else "the deployed commit"
        how = f"a sample of {self.compared} of its {self.files} files" if self.sampled else f"all {self.files} files"
        if self.matches:
            return f"No object of bucket {bucket} changed: it already holds {commit} ({how} compared)."
        nothing = f"No object of bucket {bucket} was updated by this deployment"
        if self.matches is False:
            return f"{nothing}, and it does not hold {commit}: {self.reason}"
        return f"{nothing} (could not compare with {commit}: {self.reason})."


def find_sync(buildspec: str, bucket: str) -> tuple[str, str, bool] | None:
    """(directory, key prefix, --delete) of the buildspec's ``aws s3 sync DIR s3://…`` to ``bucket`` (or to a
    variable: the web build gets the bucket as $BUCKET_NAME), or None."""
    for raw in buildspec.splitlines():
        line = raw.strip().removeprefix("- ").strip()
        if "aws s3 sync" not in line:
            continue
        try:
            words = shlex.split(line[line.index("aws s3 sync") :], comments=True)
        except ValueError:
            continue
        paths = [w for w in words[3:] if not w.startswith("--")]
        if len(paths) < 2 or paths[0].startswith("s3://") or not paths[1].startswith("s3://"):
            continue
        target, _, prefix = paths[1].removeprefix("s3://").partition("/")
        if target == bucket or "$" in target:
            directory = paths[0].removeprefix("./").strip("/")
            return ("" if directory == "." else directory), prefix.strip("/"), "--delete" in words
    return None


def _same(content: bytes, found: tuple[int, str] | None) -> bool:
    if found is None or found[0] != len(content):
        return False
    etag = found[1].lower()
    return not _MD5.fullmatch(etag) or etag == hashlib.md5(content, usedforsecurity=False).hexdigest()


def source_match(
    reads: SourceReads, source: tuple[str, str], bucket: str, objects: Any, buildspec_path: str | None = None
) -> Match:
    """Compare the bucket (``objects``: a :class:`tui.aws.site.Objects`) with the files the web build synced."""
    files = reads.archive(*source)
    if files is None:
        return Match(None, reason="its source artifact is gone or is not a zip")
    paths = [p for p in (buildspec_path, *BUILDSPECS) if p]
    spec = next((files[p].decode("utf-8", "replace") for p in paths if p in files), None)
    found = find_sync(spec, bucket) if spec is not None else None
    if found is None:
        return Match(None, reason=f"no `aws s3 sync` to it in {', '.join(dict.fromkeys(paths))}")
    directory, prefix, delete = found
    under = f"{directory}/" if directory else ""
    wanted = {
        "/".join(p for p in (prefix, path[len(under) :]) if p): content
        for path, content in files.items()
        if path.startswith(under)
    }
    if not wanted:
        return Match(None, reason=f"the commit has no files under {plain(directory) or 'its root'}")
    if objects.truncated:
        keys = random.sample(sorted(wanted), min(SAMPLE, len(wanted)))
        differ = [k for k in keys if not _same(wanted[k], reads.head(bucket, k))]
        return Match(not differ, len(keys), len(wanted), True, _differ(differ))
    differ = [k for k in sorted(wanted) if not _same(wanted[k], objects.listed.get(k))]
    if delete and not differ:
        inside = [k for k in objects.listed if k.startswith(f"{prefix}/" if prefix else "")]
        differ = sorted(set(inside) - set(wanted))
    return Match(not differ, len(wanted), len(wanted), False, _differ(differ))


def _differ(keys: list[str]) -> str:
    if not keys:
        return ""
    more = f" and {len(keys) - 1} more" if len(keys) > 1 else ""
    return f"{plain(keys[0])[:120]}{more} differ."


def nothing_uploaded(
    reads: Any, source: tuple[str, str] | None, bucket: str, objects: Any, revision: str | None, spec: str | None
) -> tuple[bool, str]:
    """The sync changed no object: (fine, the sentence). Fine when the bucket already holds the commit's files;
    without the source artifact to compare with, a problem as before."""
    if source is None:
        return False, f"No object of bucket {bucket} was updated by this deployment."
    match = source_match(reads, source, bucket, objects, spec)
    return bool(match.matches), match.sentence(bucket, revision)
