"""The context every desired-state builder reads; the resource names are :class:`tui.domain.names.Names`."""

from __future__ import annotations

from dataclasses import dataclass

from tui.domain.names import Names
from tui.services.config import AppConfig

__all__ = ["KNOWN_AFTER_APPLY", "Context", "Names"]

KNOWN_AFTER_APPLY = "(known after apply)"


@dataclass(slots=True)
class Context:
    """Everything the builders need: config, where we are, and what apply learnt so far (the connection)."""

    config: AppConfig
    account: str
    region: str
    partition: str = "aws"
    connection_arn: str | None = None

    @property
    def names(self) -> Names:
        return Names(self.config.pipeline_name, self.account)

    @property
    def pipeline(self) -> str:
        return self.config.pipeline_name

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
