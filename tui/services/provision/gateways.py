"""Build the resource gateways and the provisioning context from one set of boto3 clients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.aws.errors import aws_errors
from tui.aws.resources.base import Gateway, remote_answers
from tui.aws.resources.bucket import BucketGateway
from tui.aws.resources.connection import ConnectionGateway
from tui.aws.resources.log_groups import LogGroupGateway
from tui.aws.resources.pipeline import PipelineGateway
from tui.aws.resources.projects import ProjectGateway
from tui.aws.resources.roles import RoleGateway
from tui.domain.text import Remote
from tui.services.config import AppConfig
from tui.services.provision.context import Context

#: The IAM service prefix of each resource kind, for "the permission it lacked".
SERVICE = {
    "bucket": "s3",
    "log-group": "logs",
    "role": "iam",
    "connection": "codestar-connections",
    "project": "codebuild",
    "pipeline": "codepipeline",
}


@dataclass(slots=True)
class Gateways:
    bucket: BucketGateway
    log_group: LogGroupGateway
    role: RoleGateway
    connection: ConnectionGateway
    project: ProjectGateway
    pipeline: PipelineGateway

    def for_kind(self, kind: str) -> Gateway:
        gateway: Gateway = getattr(self, kind.replace("-", "_"))
        return gateway


def make_gateways(clients: Any, ctx: Context) -> Gateways:
    """``clients`` is a :class:`tui.aws.session.Clients` (anything with ``client(service)``)."""
    return Gateways(
        bucket=remote_answers(BucketGateway(clients.client("s3"), ctx.region)),
        log_group=remote_answers(LogGroupGateway(clients.client("logs"))),
        role=remote_answers(RoleGateway(clients.client("iam"))),
        connection=remote_answers(ConnectionGateway(clients.client, ctx.pipeline, ctx.config.connection_arn)),
        project=remote_answers(ProjectGateway(clients.client("codebuild"))),
        pipeline=remote_answers(PipelineGateway(clients.client("codepipeline"))),
    )


def resolve_context(clients: Any, config: AppConfig) -> Context:
    """The account comes from the config, else from STS; the region is the clients' region."""
    account = config.aws_account_id
    if not account:
        with aws_errors("sts"):
            account = Remote(clients.client("sts").get_caller_identity()["Account"])  # remote text: into names
    region = getattr(clients, "region", None) or config.aws_region
    return Context(config=config, account=account, region=region)
