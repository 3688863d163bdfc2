"""`export terraform` renders provision's desired state: the files parse (python-hcl2) and read back, resource
for resource and attribute for attribute, into exactly the specs provision applies; what exists gets an
import block with the ID format of its AWS provider resource. The command and checkov: test_terraform_command.py."""

from __future__ import annotations

import base64
import re
import shutil
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import hcl2
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.support import terraform_cli
from tests.support.aws import ACCOUNT, REGION
from tests.support.terraform import OPTIONS, Resolver, parse_dir, read_back
from tui.aws.session import Clients
from tui.services.config import AppConfig, looks_like_token
from tui.services.provision.context import Context
from tui.services.provision.desired import Desired, all_desired, for_actual
from tui.services.provision.runner import Provisioner
from tui.services.terraform import export
from tui.services.terraform.document import MAIN_FILE, Observed, render
from tui.services.terraform.hcl import escape
from tui.services.terraform.references import UnknownDesired

TERRAFORM = shutil.which("terraform")

#: The ARN the tests say a connection created by Terraform gets: every mention of it in the files must be a
#: reference to the connection resource, or the read-back differs from the desired state.
NEW_CONNECTION = f"arn:aws:codestar-connections:{REGION}:{ACCOUNT}:connection/0f0f0f0f-new"
REUSED_CONNECTION = f"arn:aws:codeconnections:{REGION}:{ACCOUNT}:connection/1e1e1e1e-reused"
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/2d2d2d2d-0000-0000-0000-000000000000"


def expected(desired: list[Desired]) -> dict[tuple[str, str], dict[str, Any]]:
    """The specs provision applies, for the resources it owns (a reused connection is only referenced)."""
    out = {}
    for d in desired:
        if getattr(d, "reused", False) or not d.spec.get("tags"):
            continue
        spec = dict(d.spec)
        if spec.get("environment_variables") == []:  # no environment_variable block
            del spec["environment_variables"]
        if "lifecycle" in spec:  # a field a rule does not set is no block in Terraform
            spec["lifecycle"] = [{k: v for k, v in r.items() if v is not None} for r in spec["lifecycle"]]
        out[(d.kind, d.name)] = spec
    return out


def exported(result: export.Export, directory: Path, new_connection: str = NEW_CONNECTION) -> Any:
    assert result.rendered is not None
    export.write(directory, result.rendered.files)
    parsed = parse_dir(directory)
    return parsed, read_back(parsed, Resolver(parsed, ACCOUNT, REGION, new_connection))


CONFIGS = {
    "default": {},
    "kms-managed-policy": {"kms_key_arn": KMS_KEY, "infra_policy_arn": f"arn:aws:iam::{ACCOUNT}:policy/tf-infra"},
    "reused-connection": {"connection_arn": REUSED_CONNECTION, "log_retention_days": 400},
}


@pytest.mark.parametrize("variant", sorted(CONFIGS))
def test_offline_export_is_the_desired_state(variant: str, config: AppConfig, clients: Clients, tmp_path: Path) -> None:
    cfg = replace(config, aws_account_id=ACCOUNT, **CONFIGS[variant])
    result = export.without_aws(clients, cfg)
    parsed, read = exported(result, tmp_path)

    ctx = Context(config=cfg, account=ACCOUNT, region=REGION, connection_arn=cfg.connection_arn or NEW_CONNECTION)
    reused = {"arn": cfg.connection_arn} if cfg.connection_arn else None
    desired = [for_actual(d, ctx, reused) if d.kind == "connection" else d for d in all_desired(ctx)]
    assert read == expected(desired)
    assert parsed.imports == {}
    assert "Written with --no-imports" in (tmp_path / MAIN_FILE).read_text()
    if cfg.connection_arn:
        assert "aws_codestarconnections_connection" not in parsed.resources
        assert "connection_status" not in parsed.outputs
    else:
        assert parsed.outputs["connection_status"]["value"].endswith(".connection_status}")


def test_after_provision_every_resource_is_imported_with_its_id(
    provisioner: Provisioner, config: AppConfig, clients: Clients, tmp_path: Path
) -> None:
    assert provisioner.apply().ok
    result = export.with_aws(clients, config)
    assert result.plan is not None and not result.plan.has_changes
    parsed, read = exported(result, tmp_path)

    fresh = Provisioner(clients, config)
    fresh.plan()
    ctx = fresh.context()
    assert read == expected(all_desired(ctx))
    every = {f"{t}.{label}" for t, labelled in parsed.resources.items() for label in labelled}
    assert set(parsed.imports) == every  # everything exists: nothing would be created again
    ids = {address.split(".")[0]: set() for address in every}
    for address, import_id in parsed.imports.items():
        ids[address.split(".")[0]].add(import_id)
    arn = ctx.connection_arn
    assert arn and arn == boto3.client("codestar-connections").list_connections()["Connections"][0]["ConnectionArn"]
    assert ids["aws_codestarconnections_connection"] == {arn}
    named = {kind: {d.name for d in all_desired(ctx) if d.kind == kind} for kind in ("bucket", "role", "log-group")}
    for part in ("", "_versioning", "_policy", "_public_access_block", "_lifecycle_configuration"):
        assert ids[f"aws_s3_bucket{part}"] == named["bucket"]
    assert ids["aws_s3_bucket_server_side_encryption_configuration"] == named["bucket"]
    assert "shop-artifacts-123456789012" in named["bucket"]
    assert ids["aws_iam_role"] == named["role"] == {"shop-pipeline", "shop-infra-build", "shop-web-build"}
    assert {
        "shop-pipeline:shop-pipeline",
        "shop-infra-build:shop-infra-build",
        "shop-web-build:shop-web-build",
        "shop-web-build:shop-web-deploy",
    } <= ids["aws_iam_role_policy"]
    assert ids["aws_iam_role_policy"] == {
        f"{d.name}:{p}" for d in all_desired(ctx) if d.kind == "role" for p in d.spec["inline_policies"]
    }
    assert (
        ids["aws_cloudwatch_log_group"]
        == named["log-group"]
        == {"/aws/codebuild/shop-infra", "/aws/codebuild/shop-web"}
    )
    assert ids["aws_codebuild_project"] == {"shop-infra", "shop-web"}
    assert ids["aws_codepipeline"] == {"shop"}
    text = "".join(path.read_text() for path in tmp_path.glob("*.tf"))
    assert not looks_like_token(text) and "token" not in text.lower().replace("no token", "")


def test_a_managed_policy_attachment_is_imported_as_role_slash_arn(
    config: AppConfig, clients: Clients, tmp_path: Path
) -> None:
    policy = boto3.client("iam").create_policy(
        PolicyName="tf-infra",
        PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}',
    )
    cfg = replace(config, infra_policy_arn=policy["Policy"]["Arn"])
    assert Provisioner(clients, cfg).apply().ok
    parsed, read = exported(export.with_aws(clients, cfg), tmp_path)
    (address,) = [
        f"aws_iam_role_policy_attachment.{label}" for label in parsed.resources["aws_iam_role_policy_attachment"]
    ]
    assert parsed.imports[address] == f"shop-infra-build/{policy['Policy']['Arn']}"
    assert read[("role", "shop-infra-build")]["managed_policies"] == [policy["Policy"]["Arn"]]


def test_before_provision_nothing_is_imported(config: AppConfig, clients: Clients, tmp_path: Path) -> None:
    result = export.with_aws(clients, config)
    parsed, read = exported(result, tmp_path)
    assert parsed.imports == {}
    assert len(read) == len(all_desired(result.ctx))
    assert "Nothing of this exists yet" in (tmp_path / MAIN_FILE).read_text()


def test_half_provisioned_imports_only_what_exists(
    provisioner: Provisioner, config: AppConfig, clients: Clients, tmp_path: Path
) -> None:
    assert provisioner.apply().ok
    boto3.client("iam").delete_role_policy(RoleName="shop-web-build", PolicyName="shop-web-deploy")
    boto3.client("s3").delete_bucket_policy(Bucket=provisioner.context().bucket)
    parsed, _ = exported(export.with_aws(clients, config), tmp_path)
    assert "shop-web-build:shop-web-deploy" not in parsed.imports.values()
    assert "aws_s3_bucket_policy.artifacts" not in parsed.imports
    assert "aws_s3_bucket_versioning.artifacts" in parsed.imports
    assert "shop-web-build:shop-web-build" in parsed.imports.values()


def test_a_resource_that_is_not_ours_is_refused_as_provision_refuses_it(config: AppConfig, clients: Clients) -> None:
    boto3.client("iam").create_role(
        RoleName="shop-pipeline", AssumeRolePolicyDocument="{}", Tags=[{"Key": "team", "Value": "other"}]
    )
    result = export.with_aws(clients, config)
    assert result.rendered is None
    assert [c.name for c in result.refused] == ["shop-pipeline"]
    adopted = export.with_aws(clients, config, frozenset({"shop-pipeline"}))
    assert adopted.rendered is not None
    role = next(r for r in adopted.rendered.resources if r.import_id == "shop-pipeline")
    assert re.search(r'"pipeline-tui:adopted"\s+= "true"', adopted.rendered.files[MAIN_FILE])
    assert role.type == "aws_iam_role"


def test_an_unknown_kind_or_field_fails_loudly(config: AppConfig) -> None:
    ctx = Context(config=replace(config, aws_account_id=ACCOUNT), account=ACCOUNT, region=REGION)
    ctx.connection_arn = NEW_CONNECTION
    desired = all_desired(ctx)
    with pytest.raises(UnknownDesired, match="queue"):
        render(
            ctx,
            [Observed(d) for d in desired] + [Observed(Desired("queue", "q", {"tags": {"a": "b"}}))],
            read_aws=False,
        )
    for index, d in enumerate(desired):
        drifted = [Observed(x) for x in desired]
        drifted[index] = Observed(replace(d, spec={**d.spec, "brand_new_field": 1}))
        with pytest.raises(UnknownDesired, match="brand_new_field"):
            render(ctx, drifted, read_aws=False)


def _hcl2_reads(text: str) -> bool:
    """python-hcl2 8.1's lexer knows the escapes ``$${`` and ``%%{`` only when a ``}`` follows later in the string
    (``"$${"`` is a syntax error to it; Terraform reads it as ``${``): strings it cannot judge go to Terraform below."""
    escaped = escape(text)
    return all("}" in escaped[m.end() :] for m in re.finditer(r"\$\$\{|%%\{", escaped))


@given(st.text())
def test_any_string_survives_the_hcl_round_trip(text: str) -> None:
    assume(_hcl2_reads(text))
    parsed = hcl2.loads(f'x = "{escape(text)}"\n', serialization_options=OPTIONS)["x"]
    assert parsed.replace("$${", "${").replace("%%{", "%{") == text


# Text made of what HCL's quoted strings treat specially (template starts whole, so that they are common), and any
# other character a UTF-8 file can hold (a .tf file is UTF-8; st.text(), as the python-hcl2 test above, draws the same).
_SPECIAL = ["${", "%{", "$${", "}", "$", "%", '"', "\\", "\n", "\r", "\t", "\x00", "\x1b", "\x7f", "\u0085", "e\u0301"]
_HOSTILE = st.lists(st.sampled_from(_SPECIAL) | st.characters(codec="utf-8"), max_size=12).map("".join)


@pytest.mark.skipif(TERRAFORM is None, reason="no `terraform` on PATH")
@settings(max_examples=15, deadline=None)
@given(st.lists(_HOSTILE, min_size=1, max_size=40))
def test_terraform_reads_any_escaped_string_back(texts: list[str]) -> None:
    """Real Terraform is the judge: each string, escaped, read back by `terraform console` as its base64. Terraform
    normalizes string literals to Unicode NFC (https://developer.hashicorp.com/terraform/language/expressions/strings)."""
    assert TERRAFORM is not None
    with tempfile.TemporaryDirectory() as work:
        lines = [f'  s{i} = "{escape(text)}"' for i, text in enumerate(texts)]
        Path(work, "main.tf").write_text("locals {\n" + "\n".join(lines) + "\n}\n", encoding="utf-8")
        names = ", ".join(f"base64encode(local.s{i})" for i in range(len(texts)))
        run = terraform_cli.console(TERRAFORM, Path(work), f'join(",", [{names}])')
    assert run.returncode == 0, run.stdout + run.stderr
    wanted = [base64.b64encode(unicodedata.normalize("NFC", t).encode()).decode() for t in texts]
    assert run.stdout.strip().strip('"').split(",") == wanted
