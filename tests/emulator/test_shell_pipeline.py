"""The emulated build shell inside a hand-made pipeline: buildspecs written the way most real ones are (quoted
words, `${VAR}`, multi-line blocks, an install script) run as the shell runs them, and Terraform refuses an
output the configuration does not declare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.emulator import Clients, advance_until, build_id_of, read_log
from tests.support.handmade import NAME, copy_sample_repo, create_pipeline
from tui.emulator import ManualClock
from tui.emulator.codebuild.tools import no_output
from tui.emulator.source import INFRA_BUILDSPEC
from tui.emulator.state import state

WEB_BUILDSPEC = "web/buildspec.yml"


def _finished(cp: Any, ex_id: str) -> str | None:
    status = cp.get_pipeline_execution(pipelineName=NAME, pipelineExecutionId=ex_id)["pipelineExecution"]["status"]
    return None if status == "InProgress" else str(status)


def _log(clients: Clients, ex_id: str, action: str) -> str:
    build_id = build_id_of(clients("codepipeline"), ex_id, action, NAME)
    assert build_id is not None
    build = clients("codebuild").batch_get_builds(ids=[build_id])["builds"][0]
    return "\n".join(read_log(clients("logs"), build["logs"]["groupName"], build["logs"]["streamName"]))


def _repo(tmp_path: Path, **files: str) -> Path:
    repo = copy_sample_repo(tmp_path)
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    state().source_dir = repo
    return repo


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    text = (repo / path).read_text()
    assert old in text
    (repo / path).write_text(text.replace(old, new))


def test_the_quoted_sync_pipeline_succeeds(clients: Clients, clock: ManualClock, tmp_path: Path) -> None:
    """The issue's pipeline: the web build's first command quotes its destination, as most buildspecs do."""
    repo = _repo(tmp_path)
    _edit(
        repo,
        WEB_BUILDSPEC,
        "aws s3 sync site s3://$BUCKET_NAME --delete",
        'aws s3 sync site/ "s3://${BUCKET_NAME}" --delete',
    )
    cp, s3 = clients("codepipeline"), clients("s3")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"
    text = _log(clients, ex_id, "Upload")
    assert "NoSuchBucket" not in text
    bucket = next(line for line in text.splitlines() if line.startswith("upload: site/index.html to s3://"))
    name = bucket.removeprefix("upload: site/index.html to s3://").split("/")[0]
    assert '"' not in name
    assert "index.html" in [o["Key"] for o in s3.list_objects_v2(Bucket=name)["Contents"]]


def test_a_multi_line_block_with_and_or_runs_as_the_shell_runs_it(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    repo = _repo(tmp_path)
    block = (
        "      - |\n"
        '        if [ -n "$BUCKET_NAME" ]; then\n'
        "          TARGET='s3://'\"$BUCKET_NAME\"\n"
        "        else\n"
        "          TARGET=nowhere\n"
        "        fi\n"
        '        test -d site && aws s3 sync site "$TARGET" --delete || exit 3\n'
    )
    _edit(repo, WEB_BUILDSPEC, "      - aws s3 sync site s3://$BUCKET_NAME --delete\n", block)
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"
    assert "upload: site/index.html to s3://" in _log(clients, ex_id, "Upload")


def test_terraform_output_of_an_undeclared_name_fails_as_terraform_does(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    """`terraform output -raw NAME` reads the state: a name no `output` block declares is Terraform's error,
    exit status 1 (text and colours of Terraform 1.11.4)."""
    repo = _repo(tmp_path)
    _edit(repo, "infra/outputs.tf", 'output "distribution_id"', 'output "cdn_id"')
    _edit(
        repo,
        INFRA_BUILDSPEC,
        "      - terraform output -json > outputs.json\n",
        "      - terraform output -json > outputs.json\n      - terraform output -raw distribution_id\n",
    )
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    text = _log(clients, ex_id, "Terraform")
    assert "\n".join(no_output("distribution_id")) in text
    assert "Command did not exit successfully terraform output -raw distribution_id exit status 1" in text


def test_terraform_installed_by_a_script_or_in_the_build_phase_is_found(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    repo = _repo(
        tmp_path, **{"scripts/install-tools.sh": "#!/bin/sh\nset -e\nunzip -o -q terraform.zip -d /usr/local/bin\n"}
    )
    text = (repo / INFRA_BUILDSPEC).read_text()
    install = text[text.index("      - curl -fsSLo terraform.zip") : text.index("      - terraform version")]
    text = text.replace(install, "      - ./scripts/install-tools.sh\n")
    (repo / INFRA_BUILDSPEC).write_text(text)
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"
    assert "Apply complete!" in _log(clients, ex_id, "Terraform")


def test_terraform_used_before_the_script_that_installs_it_is_not_found(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    repo = _repo(tmp_path, **{"scripts/install-tools.sh": "unzip -o -q terraform.zip -d /usr/local/bin\n"})
    text = (repo / INFRA_BUILDSPEC).read_text()
    install = text[text.index("      - curl -fsSLo terraform.zip") : text.index("      - terraform version")]
    text = text.replace(install, "").replace(
        "      - terraform plan", "      - ./scripts/install-tools.sh\n      - terraform plan"
    )
    (repo / INFRA_BUILDSPEC).write_text(text)
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    assert "terraform: not found" in _log(clients, ex_id, "Terraform")


def test_version_0_1_runs_each_command_in_its_own_shell(clients: Clients, clock: ManualClock, tmp_path: Path) -> None:
    """A `cd` does not carry over in a version 0.1 buildspec (build-env-ref-cmd): the sync reads the root."""
    repo = _repo(tmp_path)
    _edit(repo, WEB_BUILDSPEC, "version: 0.2", "version: 0.1")
    _edit(
        repo,
        WEB_BUILDSPEC,
        "      - aws s3 sync site s3://$BUCKET_NAME --delete\n",
        "      - cd site\n      - aws s3 sync . s3://$BUCKET_NAME --delete\n",
    )
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"
    text = _log(clients, ex_id, "Upload")
    assert "upload: ./infra/main.tf to s3://" in text and "upload: ./index.html" not in text
