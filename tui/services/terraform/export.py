"""Export the pipeline as Terraform: observe what exists (through provision's own plan and gateways), render the
desired state, write the files.

With AWS: the provisioning plan is computed exactly as `pipeline-tui provision --dry-run` does, so the export
sees the same connection, the same adopted resources and refuses the same resources that are not ours; each
resource (and part of one: a bucket policy, an inline role policy) that exists gets an import block.
Without AWS (``--no-imports``): the desired state alone; a connection ARN in the config is taken as existing.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.domain.errors import PipelineTuiError
from tui.domain.plan import Plan, ResourceChange
from tui.services.config import AppConfig
from tui.services.provision.context import Context
from tui.services.provision.desired import Desired, all_desired, for_actual
from tui.services.provision.ownership import claim
from tui.services.provision.plan import check_limits, read_actual
from tui.services.terraform.document import FILES, MARKER, Observed, Rendered, render

#: Stands for the ARN of a connection that does not exist yet while the desired state is built; every
#: occurrence becomes a reference to the connection resource (render() checks none is left).
PLACEHOLDER_CONNECTION_ID = "pipeline-tui-export-placeholder"


class FileInTheWay(PipelineTuiError):
    """A file the export would replace was not written by it."""

    hint = "Move it away, or pass another --dir."


@dataclass(frozen=True, slots=True)
class Export:
    ctx: Context
    rendered: Rendered | None  # None when the plan refused a resource (nothing is rendered)
    read_aws: bool
    plan: Plan | None = None

    @property
    def refused(self) -> tuple[ResourceChange, ...]:
        return self.plan.refused if self.plan else ()


def placeholder_arn(ctx: Context) -> str:
    return f"arn:{ctx.partition}:codestar-connections:{ctx.region}:{ctx.account}:connection/{PLACEHOLDER_CONNECTION_ID}"


def _finish(ctx: Context, observed: list[Observed], read_aws: bool, plan: Plan | None = None) -> Export:
    for item in observed:  # what CodePipeline would refuse is not written either
        check_limits(item.desired)
    rendered = render(ctx, observed, read_aws=read_aws)
    if any(PLACEHOLDER_CONNECTION_ID in text for text in rendered.files.values()):
        raise AssertionError("the placeholder connection ARN leaked into the Terraform files")
    return Export(ctx, rendered, read_aws, plan)


def with_aws(clients: Any, config: AppConfig, adopt: frozenset[str] = frozenset()) -> Export:
    """Plan as provision does, then read each resource again for its parts (what an import block may name)."""
    from tui.services.provision.runner import Provisioner

    prov = Provisioner(clients, config, adopt=adopt)
    plan = prov.plan()
    ctx = prov.context()
    if plan.refused:
        return Export(ctx, None, True, plan)
    if ctx.connection_arn is None:
        ctx.connection_arn = placeholder_arn(ctx)
    observed = []
    for desired in all_desired(ctx):
        actual = read_actual(prov.gateways, desired)
        desired = for_actual(desired, ctx, actual)
        if actual is not None:
            desired = claim(desired, actual, ctx.pipeline, adopt)
        observed.append(Observed(desired, actual))
    return _finish(ctx, observed, True, plan)


def without_aws(clients: Any, config: AppConfig) -> Export:
    """No AWS call, except STS when the config has no account id."""
    from tui.services.provision.gateways import resolve_context

    ctx = resolve_context(clients, config)
    ctx.connection_arn = config.connection_arn or placeholder_arn(ctx)
    reused = {"arn": config.connection_arn} if config.connection_arn else None
    observed = [Observed(_offline(d, ctx, reused)) for d in all_desired(ctx)]
    return _finish(ctx, observed, False)


def _offline(desired: Desired, ctx: Context, reused: dict[str, str] | None) -> Desired:
    return for_actual(desired, ctx, reused) if desired.kind == "connection" else desired


def write(directory: Path, files: dict[str, str]) -> list[Path]:
    """Write every file (atomically), or none: a file in the way that the export did not write is refused."""
    directory.mkdir(parents=True, exist_ok=True)
    targets = [directory / name for name in FILES if name in files]
    for path in targets:
        if path.exists() and not path.read_text(encoding="utf-8", errors="replace").startswith(MARKER):
            raise FileInTheWay(f"{path} exists and was not written by `pipeline-tui export terraform`.")
    for path in targets:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(files[path.name])
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return targets
