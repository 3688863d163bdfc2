"""CodePipeline's documented limits, enforced before any write: the plan refuses a pipeline whose action
configuration values, stages, actions or names CodePipeline would refuse (tui/domain/pipeline_limits.py, the
emulator's own rules), with one sentence. The judge of "would refuse" is botocore's service model."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from botocore.loaders import create_loader
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.aws import ACCOUNT
from tests.support.examples import examples
from tests.support.provision import CallLog
from tui.aws.resources.pipeline import declaration_from_spec
from tui.domain.errors import ConfigError
from tui.domain.pipeline_limits import CONFIG_VALUE_MAX
from tui.domain.plan import StepStatus
from tui.services.config import AppConfig
from tui.services.provision import desired
from tui.services.provision.context import Context
from tui.services.provision.plan import check_limits
from tui.services.provision.runner import Provisioner
from tui.services.terraform import export
from tui.services.web_variables import used_variables

_MODEL = create_loader().load_service_model("codepipeline", "service-2")["shapes"]
VALUE_MAX = _MODEL["ActionConfigurationValue"]["max"]  # AWS's own number, as botocore ships it
#: Names as Terraform outputs are usually named: the review's twelve made a 1,462-character value.
REALISTIC = [
    "api_gateway_endpoint_url", "cognito_user_pool_client_id", "cognito_user_pool_id", "cloudfront_distribution_id",
    "site_bucket_name", "site_url", "api_base_url", "user_pool_domain", "identity_pool_id", "app_client_secret_arn",
    "static_assets_bucket", "graphql_endpoint_url",
]  # fmt: skip
VARIABLE = st.from_regex(r"[a-z][a-z0-9_]{0,39}", fullmatch=True)


def _declaration(config: AppConfig) -> dict[str, Any]:
    pipeline = desired.pipeline(Context(config, ACCOUNT, "us-east-1"))
    return declaration_from_spec(pipeline.name, pipeline.spec)


def _beyond_the_model(declaration: dict[str, Any]) -> bool:
    return any(
        len(value) > VALUE_MAX
        for stage in declaration["stages"]
        for action in stage["actions"]
        for value in action["configuration"].values()
    )


def test_the_limit_is_awss() -> None:
    assert VALUE_MAX == CONFIG_VALUE_MAX == 1000


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(VARIABLE, unique=True, max_size=24), data=st.data())
def test_the_plan_refuses_exactly_when_codepipeline_would(config: AppConfig, names: list[str], data: Any) -> None:
    """Exported names, and (or not) the part of them the web buildspec reads."""
    known = [n.upper() for n in names] + ["COMMIT_ID"]
    used = data.draw(st.none() | st.lists(st.sampled_from(known), unique=True), label="web_variables")
    cfg = replace(config, infra_exports=names, web_variables=used)
    declaration = _declaration(cfg)
    value = declaration["stages"][2]["actions"][0]["configuration"]["EnvironmentVariables"]
    assert value == json.dumps(json.loads(value), separators=(",", ":"))  # compact: no space is spent
    passed = [v["name"] for v in json.loads(value)]
    assert passed == [n for n in known if used is None or n in used]
    pipeline = desired.pipeline(Context(cfg, ACCOUNT, "us-east-1"))
    if _beyond_the_model(declaration):
        with pytest.raises(ConfigError) as refused:
            check_limits(pipeline)
        assert f"is {len(value):,} characters; CodePipeline allows at most 1,000" in refused.value.sentence
        assert "\n" not in refused.value.sentence and "env.exported-variables" in refused.value.hint
    else:
        check_limits(pipeline)


def test_too_many_exports_are_refused_before_any_write(config: AppConfig, clients: Any, call_log: CallLog) -> None:
    cfg = replace(config, infra_exports=REALISTIC)
    prov = Provisioner(clients, cfg)
    with pytest.raises(ConfigError, match=r"EnvironmentVariables of action DeployWeb .* allows at most 1,000"):
        prov.plan()
    result = Provisioner(clients, cfg).apply()
    assert result.failed is not None and result.failed.status is StepStatus.FAILED
    assert "allows at most 1,000 per configuration value" in (result.failed.error or "")
    assert call_log.writes == []


def test_only_the_variables_the_web_buildspec_reads_are_passed(config: AppConfig, provisioner: Provisioner) -> None:
    web = "version: 0.2\nphases:\n  build:\n    commands:\n" + "".join(
        f"      - {c}\n"
        for c in (
            'aws s3 sync site/ "s3://${BUCKET_NAME}" --delete',
            "aws cloudfront create-invalidation --distribution-id $DISTRIBUTION_ID --paths '/*'",
        )
    )
    assert used_variables(web) == ["BUCKET_NAME", "DISTRIBUTION_ID"]
    cfg = replace(config, infra_exports=[*REALISTIC, "bucket_name", "distribution_id"])
    assert _beyond_the_model(_declaration(cfg))  # every export passed on: beyond CodePipeline's limit
    cfg = replace(cfg, web_variables=used_variables(web))
    value = _declaration(cfg)["stages"][2]["actions"][0]["configuration"]["EnvironmentVariables"]
    assert [v["name"] for v in json.loads(value)] == ["BUCKET_NAME", "DISTRIBUTION_ID"]
    assert Provisioner(provisioner.clients, cfg).apply().ok


@pytest.mark.parametrize(
    "command",
    ["npm run build", "./scripts/deploy.sh", "make deploy", 'echo "$(cat x)"', "python deploy.py", "terraform apply"],
)
def test_a_command_out_of_sight_may_read_anything(command: str) -> None:
    web = f"version: 0.2\nphases:\n  build:\n    commands:\n      - aws s3 ls $BUCKET_NAME\n      - {command}\n"
    assert used_variables(web) is None
    assert used_variables(None) is None and used_variables("version: 9") is None


def test_export_terraform_refuses_what_codepipeline_would(config: AppConfig, clients: Any) -> None:
    cfg = replace(config, aws_account_id=ACCOUNT, infra_exports=REALISTIC)
    with pytest.raises(ConfigError, match="allows at most 1,000 per configuration value"):
        export.without_aws(clients, cfg)
