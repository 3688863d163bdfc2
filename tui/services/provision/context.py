"""The :class:`Context` every desired-state builder reads; the resource names are :class:`tui.domain.names.Names`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.aws.partitions import partition_name
from tui.domain.names import Names
from tui.services.config import AppConfig

if TYPE_CHECKING:
    from tui.services.provision.record import Record

__all__ = ["KNOWN_AFTER_APPLY", "Context"]

KNOWN_AFTER_APPLY = "(known after apply)"


@dataclass(slots=True)
class Context:
    """Everything the builders need: config, where we are, and what apply learnt so far (the connection)."""

    config: AppConfig
    account: str
    region: str
    connection_arn: str | None = None
    #: The service role of each reused CodeBuild project (``which`` -> role ARN), read before planning.
    reused_roles: dict[str, str] = field(default_factory=dict)
    #: What this machine remembers of the pipeline (intents before creates, adopted resources' settings);
    #: None: nothing is remembered (tests that build a context by hand, `permissions`).
    record: Record | None = None
    #: The site bucket the pipeline's Terraform already deploys to (its last web deployment's ``bucket_name``),
    #: named under the earlier ``<stem>-*`` rule: still granted by its exact name. Learnt before planning.
    legacy_site_bucket: str | None = None

    def intended(self, kind: str, name: str) -> bool:
        """A create of ours began for this resource and was never seen to finish (an interrupted run)."""
        return self.record is not None and self.record.intended(kind, name)

    @property
    def partition(self) -> str:
        """The ARN partition of the region, as botocore resolves it (``aws`` for ``*``)."""
        return partition_name(self.region)

    @property
    def names(self) -> Names:
        return Names(self.config.pipeline_name, self.account)

    @property
    def pipeline(self) -> str:
        return self.config.pipeline_name

    def reused(self, which: str) -> str | None:
        """The existing CodeBuild project the config reuses for ``which`` (infra/web), or None: create ours.
        Our own derived name is never "reused": it is ours to converge (and destroy)."""
        name = self.config.infra_project if which == "infra" else self.config.web_project
        return name if name and name != self.names.project(which) else None

    def project_name(self, which: str) -> str:
        """The project the pipeline runs for ``which``: the reused one, else ours."""
        return self.reused(which) or self.names.project(which)

    @property
    def builds_we_create(self) -> tuple[str, ...]:
        return tuple(which for which in ("infra", "web") if not self.reused(which))

    @property
    def has_state_bucket(self) -> bool:
        """Terraform state is provided for an infra project pipeline-tui creates (a reused one has its own)."""
        return not self.reused("infra")

    @property
    def state_bucket(self) -> str:
        bucket = self.names.state_bucket
        assert bucket is not None  # the context always has the account
        return bucket

    @property
    def state_bucket_arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.state_bucket}"

    def role_arn(self, role: str) -> str:
        return f"arn:{self.partition}:iam::{self.account}:role/{role}"

    def project_arn(self, project: str) -> str:
        return f"arn:{self.partition}:codebuild:{self.region}:{self.account}:project/{project}"

    def log_group_arn(self, group: str) -> str:
        return f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:{group}"

    @property
    def bucket(self) -> str:
        bucket = self.names.bucket
        assert bucket is not None  # the context always has the account
        return bucket

    @property
    def bucket_arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.bucket}"

    @property
    def connection(self) -> str:
        return self.connection_arn or KNOWN_AFTER_APPLY
