"""Resource names derived from the pipeline name, and the context every desired-state builder reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.services.config import AppConfig

KNOWN_AFTER_APPLY = "(known after apply)"
CONNECTION_NAME_MAX = 32
BUCKET_NAME_MAX = 63


def _bucket_safe(text: str) -> str:
    """As the wizard derives it (``tui.services.validators.derived_names``): lower case, ``_`` -> ``-``."""
    return re.sub(r"[^a-z0-9.-]", "-", text.lower())


@dataclass(frozen=True, slots=True)
class Names:
    pipeline: str
    account: str

    @property
    def bucket(self) -> str:
        suffix = f"-artifacts-{self.account}"
        return _bucket_safe(self.pipeline)[: BUCKET_NAME_MAX - len(suffix)].rstrip("-") + suffix

    @property
    def pipeline_role(self) -> str:
        return f"{self.pipeline}-pipeline"[:64]

    def build_role(self, which: str) -> str:
        return f"{self.pipeline}-{which}-build"[:64]

    def project(self, which: str) -> str:
        return f"{self.pipeline}-{which}"

    def log_group(self, which: str) -> str:
        return f"/aws/codebuild/{self.project(which)}"

    @property
    def connection(self) -> str:
        return f"{self.pipeline[: CONNECTION_NAME_MAX - len('-github')]}-github"


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
    def bucket_arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.names.bucket}"

    @property
    def connection(self) -> str:
        return self.connection_arn or KNOWN_AFTER_APPLY
