"""What the site check reads from AWS: the web deployment of an execution (ListActionExecutions: the infra
action's output variables, the web action's start and source artifact), the site bucket's objects
(ListObjectsV2; HeadObject for a sample), the source artifact the web build synced from (GetObject, a zip), and
the CloudFront invalidation the web build created (ListInvalidations, GetInvalidation). Bounded: a few pages
each, at most MAX_ARCHIVE_BYTES of the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tui.aws.errors import translated
from tui.domain.text import own_remote_text

WEB_STAGE = "DeployWebApplication"
INFRA_STAGE = "DeployInfrastructure"
_EPOCH = datetime.min.replace(tzinfo=UTC)
MAX_PAGES = 10  # ListObjectsV2: 10,000 objects; ListActionExecutions: 1,000 action executions
MAX_LISTED = MAX_PAGES * 1000
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WebDeploy:
    """The web deployment of one execution: when it started, how it ended, and the infra outputs it used."""

    execution_id: str
    status: str
    started: datetime | None
    outputs: dict[str, str] = field(default_factory=dict)
    revision: str | None = None  # the source commit of the execution
    source: tuple[str, str] | None = None  # (bucket, key) of the web action's primary input artifact

    def __post_init__(self) -> None:
        own_remote_text(self)


@dataclass(frozen=True, slots=True)
class Objects:
    updated: int
    newest: datetime | None
    #: key -> (size, ETag without quotes) of the objects listed (the first MAX_LISTED)
    listed: dict[str, tuple[int, str]] = field(default_factory=dict)
    truncated: bool = False  # the bucket holds more than MAX_LISTED objects: the rest were not read


@dataclass(frozen=True, slots=True)
class InvalidationState:
    id: str
    status: str
    created: datetime | None

    def __post_init__(self) -> None:
        own_remote_text(self)


class SiteGateway:
    def __init__(self, codepipeline: Any, s3: Any, cloudfront: Any) -> None:
        self.codepipeline, self.s3, self.cloudfront = codepipeline, s3, cloudfront

    @translated("codepipeline")
    def web_deploy(self, pipeline: str, execution_id: str | None = None) -> WebDeploy | None:
        """The newest web deployment that succeeded (of ``execution_id`` when given, whatever its status), or None."""
        kwargs: dict[str, Any] = {"pipelineName": pipeline}
        if execution_id:
            kwargs["filter"] = {"pipelineExecutionId": execution_id}
        details: list[dict[str, Any]] = []
        for number, page in enumerate(self.codepipeline.get_paginator("list_action_executions").paginate(**kwargs)):
            details.extend(page.get("actionExecutionDetails", []))
            if number + 1 >= MAX_PAGES:
                break
        webs = [d for d in details if d.get("stageName") == WEB_STAGE]
        if not execution_id:
            webs = [d for d in webs if d.get("status") == "Succeeded"]
        if not webs:
            return None
        web = max(webs, key=lambda d: d.get("startTime") or _EPOCH)
        ex_id = web.get("pipelineExecutionId", "")
        outputs: dict[str, str] = {}
        for d in details:
            if d.get("stageName") == INFRA_STAGE and d.get("pipelineExecutionId") == ex_id:
                outputs.update((d.get("output") or {}).get("outputVariables") or {})
        revision = self._revision(pipeline, ex_id)
        return WebDeploy(ex_id, web.get("status", ""), web.get("startTime"), outputs, revision, _primary_input(web))

    def _revision(self, pipeline: str, execution_id: str) -> str | None:
        try:
            raw = self.codepipeline.get_pipeline_execution(pipelineName=pipeline, pipelineExecutionId=execution_id)
        except Exception:  # the commit is only a nicety (the marker check); the check goes on without it
            return None
        revisions = raw.get("pipelineExecution", {}).get("artifactRevisions") or []
        return next((r.get("revisionId") for r in revisions if r.get("revisionId")), None)

    @translated("s3")
    def objects_since(self, bucket: str, since: datetime | None) -> Objects:
        updated, newest, listed, truncated = 0, None, {}, False
        for number, page in enumerate(self.s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)):
            for obj in page.get("Contents", []):
                listed[obj["Key"]] = (int(obj.get("Size") or 0), str(obj.get("ETag") or "").strip('"'))
                when = obj.get("LastModified")
                if when is None:
                    continue
                newest = when if newest is None or when > newest else newest
                updated += since is None or when >= since
            if number + 1 >= MAX_PAGES:
                truncated = bool(page.get("IsTruncated"))
                break
        return Objects(updated, newest, listed, truncated)

    @translated("s3")
    def head(self, bucket: str, key: str) -> tuple[int, str] | None:
        """(size, ETag) of one object, or None when there is none."""
        from botocore.exceptions import ClientError

        try:
            got = self.s3.head_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(got.get("ContentLength") or 0), str(got.get("ETag") or "").strip('"')

    @translated("s3")
    def archive(self, bucket: str, key: str) -> dict[str, bytes] | None:
        """The files of a zip artifact (path -> content), or None when it is gone, too big or not a zip."""
        import io
        import zipfile

        from botocore.exceptions import ClientError

        try:
            got = self.s3.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code", "")) in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        if int(got.get("ContentLength") or 0) > MAX_ARCHIVE_BYTES:
            return None
        body = got["Body"].read(MAX_ARCHIVE_BYTES + 1)
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                entries = [i for i in archive.infolist() if not i.is_dir()]
                if sum(i.file_size for i in entries) > 4 * MAX_ARCHIVE_BYTES:
                    return None
                return {i.filename: archive.read(i) for i in entries}
        except (zipfile.BadZipFile, OSError, ValueError):
            return None

    @translated("cloudfront")
    def invalidation(self, distribution_id: str, since: datetime | None) -> InvalidationState | None:
        """The newest invalidation created at or after ``since`` (GetInvalidation for its current status)."""
        listed = self.cloudfront.list_invalidations(DistributionId=distribution_id, MaxItems="100")
        items = listed.get("InvalidationList", {}).get("Items") or []
        if since is not None:
            items = [i for i in items if i.get("CreateTime") is None or i["CreateTime"] >= since]
        if not items:
            return None
        newest = max(items, key=lambda i: i.get("CreateTime") or _EPOCH)
        got = self.cloudfront.get_invalidation(DistributionId=distribution_id, Id=newest["Id"])["Invalidation"]
        return InvalidationState(got["Id"], got.get("Status", ""), got.get("CreateTime") or newest.get("CreateTime"))


def _primary_input(detail: dict[str, Any]) -> tuple[str, str] | None:
    """The (bucket, key) of an action execution's primary input artifact (PrimarySource, else the first)."""
    given = detail.get("input") or {}
    artifacts = given.get("inputArtifacts") or []
    primary = (given.get("configuration") or {}).get("PrimarySource")
    chosen = next((a for a in artifacts if a.get("name") == primary), artifacts[0] if artifacts else None)
    where = (chosen or {}).get("s3location") or {}
    return (where["bucket"], where["key"]) if where.get("bucket") and where.get("key") else None
