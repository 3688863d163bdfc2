"""Plan: read what exists, compare with what should, say per resource create / update (which fields) / unchanged."""

from __future__ import annotations

from typing import Any

from tui.aws.errors import aws_errors
from tui.aws.resources.base import is_ours
from tui.aws.resources.pipeline import declaration_from_spec
from tui.domain.errors import ConfigError
from tui.domain.pipeline_limits import breaches
from tui.domain.plan import ChangeAction, Plan, ResourceChange
from tui.services.provision.adoption import promise
from tui.services.provision.context import Context
from tui.services.provision.desired import Desired, all_desired, for_actual
from tui.services.provision.diff import changed_fields, diffs_for
from tui.services.provision.gateways import SERVICE, Gateways
from tui.services.provision.ownership import NotOurs, claim
from tui.services.provision.terraform_policy import legacy_site_allowed


def read_actual(gateways: Gateways, desired: Desired) -> dict[str, Any] | None:
    with aws_errors(SERVICE[desired.kind]):
        return gateways.for_kind(desired.kind).read(desired.name)


#: What to do when the web action's EnvironmentVariables grow past CodePipeline's limit.
TOO_MANY_VARIABLES = (
    "Export fewer variables from the infrastructure buildspec (env.exported-variables), or have the web buildspec "
    "read the Terraform outputs itself; nothing was changed."
)


def check_limits(desired: Desired) -> None:
    """Refuse, before any write, a pipeline that CodePipeline would refuse: each action configuration value, the
    number of stages and actions, the name patterns (tui.domain.pipeline_limits, the emulator's own rules)."""
    if desired.kind != "pipeline":
        return
    found = breaches(declaration_from_spec(desired.name, desired.spec))
    if found:
        variables = "EnvironmentVariables" in found[0].sentence
        raise ConfigError(
            found[0].sentence,
            hint=TOO_MANY_VARIABLES if variables else "Change the configuration; nothing was changed.",
        )


def missing_reused(desired: Desired, region: str) -> ConfigError:
    return ConfigError(
        f"The CodeBuild project {desired.name} that the config reuses does not exist in {region}.",
        hint="Run `pipeline-tui setup` again to pick an existing project or to create new ones.",
    )


def learn_legacy_site(gateways: Gateways, ctx: Context) -> None:
    """The site bucket the pipeline's last web deployment used (the infra build's ``bucket_name``), when it is
    named under the earlier ``<stem>-*`` rule: the build policies keep granting it by name. Nothing is learnt
    when there is no pipeline or deployment yet, or it cannot be read (the plan then shows the grant going)."""
    from tui.aws.site import SiteGateway

    ctx.legacy_site_bucket = None
    try:
        deploy = SiteGateway(gateways.pipeline.cp, None, None).web_deploy(ctx.pipeline)
    except Exception:  # no such pipeline yet, or no permission to read its executions
        return
    bucket = (deploy.outputs if deploy else {}).get("bucket_name", "")
    if bucket != ctx.names.site_bucket and legacy_site_allowed(ctx, bucket):
        ctx.legacy_site_bucket = bucket


def learn_reused(gateways: Gateways, ctx: Context) -> None:
    """Read the reused CodeBuild projects' service roles (the artifact bucket's policy grants them artifacts),
    and the site bucket of the earlier naming rule (:func:`learn_legacy_site`)."""
    learn_legacy_site(gateways, ctx)
    ctx.reused_roles.clear()
    for which in ("infra", "web"):
        name = ctx.reused(which)
        if not name:
            continue
        with aws_errors("codebuild"):
            actual = gateways.project.read(name)
        if actual and actual.get("service_role"):
            ctx.reused_roles[which] = str(actual["service_role"])


def change_for(
    desired: Desired,
    actual: dict[str, Any] | None,
    pipeline: str,
    adopt: frozenset[str] = frozenset(),
    *,
    intended: bool = False,
) -> ResourceChange:
    if desired.reused:  # referenced, never adopted: no ownership claim, nothing compared or changed
        return ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=desired.note)
    if actual is None:
        return ResourceChange(desired.kind, desired.name, ChangeAction.CREATE, note=desired.note)
    try:
        desired = claim(desired, actual, pipeline, adopt, intended=intended)
    except NotOurs as refused:
        return ResourceChange(desired.kind, desired.name, ChangeAction.REFUSE, note=refused.sentence)
    fields = changed_fields(desired.spec, actual)
    note = desired.note
    if desired.name in adopt and not is_ours(actual.get("tags"), pipeline):  # the adopt confirmation states both
        note = f"{note}; {promise(desired.kind, fields, actual)}"
    if not fields:
        return ResourceChange(desired.kind, desired.name, ChangeAction.UNCHANGED, note=note)
    return ResourceChange(
        desired.kind, desired.name, ChangeAction.UPDATE, diffs_for(desired.spec, actual, fields), note
    )


def compute_plan(gateways: Gateways, ctx: Context, adopt: frozenset[str] = frozenset()) -> Plan:
    """Reads only. Learns the connection's ARN on the way so that the policies and pipeline can be compared."""
    changes: list[ResourceChange] = []
    learn_reused(gateways, ctx)
    count = len(all_desired(ctx))
    for index in range(count):
        desired = all_desired(ctx)[index]
        actual = read_actual(gateways, desired)
        if desired.reused and actual is None:
            raise missing_reused(desired, ctx.region)
        desired = for_actual(desired, ctx, actual)
        check_limits(desired)
        if desired.kind == "connection":
            ctx.connection_arn = actual["arn"] if actual else None
        intended = ctx.intended(desired.kind, desired.name)
        changes.append(change_for(desired, actual, ctx.pipeline, adopt, intended=intended))
    return Plan(tuple(changes), pipeline=ctx.pipeline, region=ctx.region, account=ctx.account)
