"""Real Terraform judges `export terraform`: `terraform init -backend=false` and `terraform validate` on the written
directory, with the AWS provider from a filesystem mirror (tests/support/terraform_cli.py finds both; skipped
with the reason where either is missing). The pin's upper bound is the newest provider this test ran with.
Without Terraform, render() still refuses a reference loop (Terraform's "Error: Cycle") on its own."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support import terraform_cli
from tests.support.aws import ACCOUNT, REGION
from tui.aws.session import Clients
from tui.services.config import AppConfig
from tui.services.provision.context import Context
from tui.services.provision.desired import all_desired
from tui.services.provision.runner import Provisioner
from tui.services.terraform import build, document, export
from tui.services.terraform.document import (
    AWS_PROVIDER_VALIDATED,
    AWS_PROVIDER_VERSION,
    Observed,
    ReferenceCycle,
    render,
)
from tui.services.terraform.hcl import Expr

FOUND = terraform_cli.find()
needs_terraform = pytest.mark.skipif(isinstance(FOUND, str), reason=f"terraform validate not run: {FOUND}")
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/2d2d2d2d-0000-0000-0000-000000000000"
CONFIGS = {
    "default": {},
    "kms-managed-policy": {"kms_key_arn": KMS_KEY, "infra_policy_arn": f"arn:aws:iam::{ACCOUNT}:policy/tf-infra"},
    "reused-connection": {
        "connection_arn": f"arn:aws:codeconnections:{REGION}:{ACCOUNT}:connection/1e1e1e1e-reused",
        "log_retention_days": 400,
    },
}


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in version.split("."))


def satisfies(version: str, constraint: str) -> bool:
    """Terraform's version constraint syntax, for the operators the pin uses."""
    ops = {
        ">=": lambda a, b: a >= b,
        "<=": lambda a, b: a <= b,
        "!=": lambda a, b: a != b,
        ">": lambda a, b: a > b,
        "<": lambda a, b: a < b,
        "=": lambda a, b: a == b,
    }
    for part in constraint.split(","):
        op, wanted = re.fullmatch(r"\s*(>=|<=|!=|>|<|=)?\s*([\d.]+)\s*", part).groups()  # type: ignore[union-attr]
        padded = wanted + ".0" * (2 - wanted.count("."))
        if not ops[op or "="](_key(version), _key(padded)):
            return False
    return True


def _judge(directory: Path, work: Path) -> terraform_cli.Validated:
    assert not isinstance(FOUND, str)
    usable = [v for v in terraform_cli.provider_versions(FOUND.mirror) if satisfies(v, AWS_PROVIDER_VERSION)]
    if not usable:
        pytest.skip(f"the mirror {FOUND.mirror} holds no AWS provider inside the pin {AWS_PROVIDER_VERSION!r}")
    result = terraform_cli.validate(FOUND, directory, work)
    assert result.ok, result.output
    assert "Success! The configuration is valid." in result.output
    assert result.provider == usable[-1]  # init picks the newest the pin admits
    return result


@needs_terraform
@pytest.mark.parametrize("variant", sorted(CONFIGS))
def test_terraform_validates_the_offline_export(
    variant: str, config: AppConfig, clients: Clients, tmp_path: Path
) -> None:
    result = export.without_aws(clients, replace(config, aws_account_id=ACCOUNT, **CONFIGS[variant]))
    assert result.rendered is not None
    export.write(tmp_path / "tf", result.rendered.files)
    _judge(tmp_path / "tf", tmp_path)


@needs_terraform
def test_terraform_validates_the_export_with_import_blocks(
    provisioner: Provisioner, config: AppConfig, clients: Clients, tmp_path: Path
) -> None:
    assert provisioner.apply().ok
    result = export.with_aws(clients, config)
    assert result.rendered is not None and result.rendered.imports
    export.write(tmp_path / "tf", result.rendered.files)
    _judge(tmp_path / "tf", tmp_path)


def test_the_pins_upper_bound_is_the_validated_provider() -> None:
    assert AWS_PROVIDER_VERSION.endswith(f"<= {AWS_PROVIDER_VALIDATED}")
    assert satisfies(AWS_PROVIDER_VALIDATED, AWS_PROVIDER_VERSION)
    assert not satisfies("5.86.0", AWS_PROVIDER_VERSION)  # its lifecycle resource failed on filter { prefix = "" }
    assert not satisfies("6.0.0", AWS_PROVIDER_VERSION)
    docs = (Path(__file__).parents[2] / "docs" / "terraform.md").read_text(encoding="utf-8")
    assert AWS_PROVIDER_VALIDATED in docs and AWS_PROVIDER_VERSION in docs


def test_a_reference_loop_is_refused_as_terraform_refuses_it(config: AppConfig) -> None:
    """The old trust policy named its project by reference while the project named the role: a loop."""
    ctx = Context(config=replace(config, aws_account_id=ACCOUNT), account=ACCOUNT, region=REGION)
    ctx.connection_arn = export.placeholder_arn(ctx)
    observed = [Observed(d) for d in all_desired(ctx)]
    render(ctx, observed, read_aws=False)  # the export itself has no loop
    original = build.role

    def role_naming_its_project(*args: object) -> list[object]:
        out = original(*args)  # type: ignore[arg-type]
        if out[0].address.endswith("infra_build"):
            out[0].block.attr("description", Expr("aws_codebuild_project.infra.arn"))
        return out

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(document.RENDERERS, "role", role_naming_its_project)
        with pytest.raises(ReferenceCycle, match=r"aws_codebuild_project\.infra"):
            render(ctx, observed, read_aws=False)
