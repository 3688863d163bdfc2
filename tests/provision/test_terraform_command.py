"""`pipeline-tui export terraform`: files written, exit codes, nothing written when AWS cannot be read, and
checkov on the output (in its own virtual environment, named by $PIPELINE_TUI_CHECKOV; .ci/run installs it)."""

from __future__ import annotations

import io
import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.aws import ACCOUNT, REGION
from tui.aws.session import Clients
from tui.cli import main
from tui.services.config import AppConfig, save_config
from tui.services.provision.runner import Provisioner
from tui.services.terraform import export
from tui.services.terraform.document import FILES, MAIN_FILE

CHECKOV = os.environ.get("PIPELINE_TUI_CHECKOV", "")
KMS_KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/2d2d2d2d-0000-0000-0000-000000000000"


@pytest.fixture
def config_path(tmp_path: Path, config: AppConfig, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config.toml"
    save_config(config, path)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    return path


def test_writes_the_files_and_says_what_it_imported(
    config_path: Path, provisioner: Provisioner, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert provisioner.apply().ok
    out_dir = tmp_path / "infra" / "pipeline"
    assert main(["export", "terraform", "--dir", str(out_dir)]) == 0
    said = capsys.readouterr().out
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(FILES)
    assert "import blocks for what exists" in said and "terraform init" in said
    first = (out_dir / MAIN_FILE).read_text()
    assert main(["export", "terraform", "--dir", str(out_dir)]) == 0  # its own files are replaced
    assert (out_dir / MAIN_FILE).read_text() == first


def test_a_file_it_did_not_write_is_never_replaced(
    config_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / MAIN_FILE).write_text('resource "aws_s3_bucket" "mine" {}\n')
    assert main(["export", "terraform", "--dir", str(tmp_path), "--no-imports"]) == 1
    assert "was not written by `pipeline-tui export terraform`" in capsys.readouterr().err
    assert (tmp_path / MAIN_FILE).read_text() == 'resource "aws_s3_bucket" "mine" {}\n'
    assert not (tmp_path / "outputs.tf").exists()  # all or nothing


def test_no_config_is_exit_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "terraform", "--config", str(tmp_path / "nope.toml"), "--dir", str(tmp_path)]) == 3
    assert "run `pipeline-tui setup` first" in capsys.readouterr().err


def test_unreadable_aws_writes_nothing_unless_no_imports(
    config_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import EndpointConnectionError

    from tui.aws.resources.roles import RoleGateway

    def unreachable(*_a: object, **_k: object) -> None:
        raise EndpointConnectionError(endpoint_url="https://iam.amazonaws.com/")

    monkeypatch.setattr(RoleGateway, "read", unreachable)
    out_dir = tmp_path / "tf"
    assert main(["export", "terraform", "--dir", str(out_dir)]) == 4
    err = capsys.readouterr().err
    assert "Nothing was written" in err and "--no-imports" in err and len(err.strip().splitlines()) == 1
    assert not out_dir.exists()
    assert main(["export", "terraform", "--dir", str(out_dir), "--no-imports"]) == 0  # the account is configured
    assert "no import blocks (--no-imports)" in capsys.readouterr().out


def test_a_resource_that_is_not_ours_is_exit_1(
    config_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import boto3

    boto3.client("logs").create_log_group(logGroupName="/aws/codebuild/shop-web", tags={"team": "other"})
    assert main(["export", "terraform", "--dir", str(tmp_path / "tf")]) == 1
    err = capsys.readouterr().err
    assert "/aws/codebuild/shop-web exists and is not this pipeline's" in err and "Nothing was written" in err
    assert main(["export", "terraform", "--dir", str(tmp_path / "tf"), "--adopt", "/aws/codebuild/shop-web"]) == 0


def test_usage_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "cloudformation"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def _checkov(directory: Path) -> dict[str, object]:
    run = subprocess.run(
        [CHECKOV, "-d", str(directory), "--framework", "terraform", "--compact", "-o", "json",
         "--skip-download"],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_NO_OUTPUT_COLOR": "1"},
    )  # fmt: skip
    assert run.stdout.strip(), run.stderr[-2000:]
    report = json.loads(run.stdout)
    return report[0] if isinstance(report, list) else report


@pytest.mark.skipif(
    not (CHECKOV and os.access(CHECKOV, os.X_OK)),
    reason="checkov is not installed: .ci/run installs it in a venv of its own and sets PIPELINE_TUI_CHECKOV",
)
@pytest.mark.parametrize("variant", ["default", "kms"])
def test_checkov_passes_and_every_skip_has_a_reason(
    variant: str, config: AppConfig, clients: Clients, tmp_path: Path
) -> None:
    cfg = replace(config, kms_key_arn=KMS_KEY) if variant == "kms" else config
    assert Provisioner(clients, cfg).apply().ok
    result = export.with_aws(clients, cfg)
    assert result.rendered is not None and result.rendered.imports
    export.write(tmp_path, result.rendered.files)
    report = _checkov(tmp_path)
    results = report["results"]
    assert isinstance(results, dict)
    failed = [(c["check_id"], c["resource"]) for c in results["failed_checks"]]
    assert failed == []
    skipped = results["skipped_checks"]
    assert skipped, "the accepted findings are skipped inline"
    for check in skipped:
        assert len(check["check_result"].get("suppress_comment", "")) > 20, check
    if variant == "kms":  # a KMS key in the config makes the KMS checks pass: no skip for them
        assert not {"CKV_AWS_145", "CKV_AWS_219"} & {c["check_id"] for c in skipped}
