"""Builds driven by the real buildspec: a pipeline made by hand with boto3 runs the sample repository's buildspecs,
and each thing a real account would refuse fails the way CodeBuild and CodePipeline report it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.emulator import Clients, action_details, advance_until, build_id_of, read_log, stage_state
from tests.support.handmade import ARTIFACT_BUCKET, NAME, copy_sample_repo, create_pipeline
from tui.emulator import ManualClock
from tui.emulator.codebuild.timeline import NO_PRIMARY_ARTIFACTS
from tui.emulator.source import INFRA_BUILDSPEC, sample_repo_dir
from tui.emulator.state import configure, state
from tui.services.buildspec import installs_terraform, parse_buildspec


def _finished(cp: Any, ex_id: str) -> str | None:
    status = cp.get_pipeline_execution(pipelineName=NAME, pipelineExecutionId=ex_id)["pipelineExecution"]["status"]
    return None if status == "InProgress" else str(status)


def _build(clients: Clients, ex_id: str, action: str) -> dict[str, Any]:
    build_id = build_id_of(clients("codepipeline"), ex_id, action, NAME)
    assert build_id is not None
    return dict(clients("codebuild").batch_get_builds(ids=[build_id])["builds"][0])


def _log(clients: Clients, build: dict[str, Any]) -> str:
    return "\n".join(read_log(clients("logs"), build["logs"]["groupName"], build["logs"]["streamName"]))


def _edit_infra_buildspec(tmp_path: Path, edit: Any) -> None:
    repo = copy_sample_repo(tmp_path)
    path = repo / INFRA_BUILDSPEC
    path.write_text(edit(path.read_text()))
    state().source_dir = repo


def _action_error(clients: Clients, stage: str) -> dict[str, str]:
    latest = stage_state(clients("codepipeline"), stage, NAME)["actionStates"][0]["latestExecution"]
    assert latest["status"] == "Failed"
    return dict(latest["errorDetails"])


def test_a_handmade_pipeline_runs_the_sample_buildspecs(clients: Clients, clock: ManualClock) -> None:
    cp, s3, cloudfront = clients("codepipeline"), clients("s3"), clients("cloudfront")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Succeeded"

    infra = _build(clients, ex_id, "Terraform")
    # Only what env.exported-variables lists is exported, and the source is the pipeline's artifact bucket.
    exported = {v["name"]: v["value"] for v in infra["exportedEnvironmentVariables"]}
    assert sorted(exported) == ["bucket_name", "distribution_id", "site_url"]
    assert infra["sourceVersion"].startswith(f"arn:aws:s3:::{ARTIFACT_BUCKET}/{NAME[:20]}/SourceArti/")
    text = _log(clients, infra)
    assert "Running command terraform version" in text and "Terraform v1.10" in text
    assert 'Running command terraform init -input=false -backend-config="bucket=$TF_STATE_BUCKET"' in text
    assert "Apply complete!" in text
    assert "Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED" in text
    terraform = next(d for d in action_details(cp, ex_id, NAME) if d["actionName"] == "Terraform")
    assert terraform["output"]["outputVariables"] == exported
    location = terraform["input"]["inputArtifacts"][0]["s3location"]
    assert infra["sourceVersion"] == f"arn:aws:s3:::{location['bucket']}/{location['key']}"

    web = _build(clients, ex_id, "Upload")
    web_env = {e["name"]: e["value"] for e in web["environment"]["environmentVariables"]}
    assert web_env["BUCKET_NAME"] == exported["bucket_name"]
    assert "upload: site/index.html to s3://" in _log(clients, web)
    # terraform apply created the bucket; aws s3 sync put the source's site/ files in it.
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=exported["bucket_name"])["Contents"])
    assert keys == ["404.html", "assets/app.css", "assets/app.js", "assets/logo.svg", "index.html", "robots.txt"]
    body = s3.get_object(Bucket=exported["bucket_name"], Key="index.html")["Body"].read()
    assert b"Hello from Acme" in body
    # The invalidation is InProgress for a while, then Completed.
    dist = exported["distribution_id"]
    items = cloudfront.list_invalidations(DistributionId=dist)["InvalidationList"]["Items"]
    inv_id = items[0]["Id"]

    def status() -> str:
        return str(cloudfront.get_invalidation(DistributionId=dist, Id=inv_id)["Invalidation"]["Status"])

    seen = {status()}
    advance_until(clock, lambda: status() == "Completed")
    assert seen == {"InProgress"}
    assert cloudfront.list_invalidations(DistributionId=dist)["InvalidationList"]["Items"][0]["Status"] == "Completed"


def test_without_artifacts_the_infra_build_fails_in_upload_artifacts(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    _edit_infra_buildspec(tmp_path, lambda text: text[: text.index("artifacts:")])
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    infra = _build(clients, ex_id, "Terraform")
    upload = next(p for p in infra["phases"] if p["phaseType"] == "UPLOAD_ARTIFACTS")
    assert upload["phaseStatus"] == "FAILED"
    assert upload["contexts"] == [{"statusCode": "CLIENT_ERROR", "message": NO_PRIMARY_ARTIFACTS}]
    assert "exportedEnvironmentVariables" not in infra
    assert _action_error(clients, "Infra")["message"] == (
        "Build terminated with state: FAILED. Phase: UPLOAD_ARTIFACTS, Code: CLIENT_ERROR, "
        "Message: no definition for primary artifacts in buildspec"
    )


def test_without_the_terraform_install_terraform_is_not_found(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    def drop_install(text: str) -> str:
        return re.sub(r"  install:\n(    .*\n)+", "", text)

    _edit_infra_buildspec(tmp_path, drop_install)
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    infra = _build(clients, ex_id, "Terraform")
    pre_build = next(p for p in infra["phases"] if p["phaseType"] == "PRE_BUILD")
    command = pre_build["contexts"][0]["message"].removeprefix("Error while executing command: ")
    assert command.startswith("terraform init -input=false") and command.endswith(". Reason: exit status 127")
    assert pre_build["contexts"][0]["statusCode"] == "COMMAND_EXECUTION_ERROR"
    text = _log(clients, infra)
    assert "terraform: not found" in text
    assert re.search(r"Command did not exit successfully terraform init .* exit status 127", text)
    assert "Apply complete!" not in text


def test_a_variable_the_infra_build_does_not_export_fails_the_web_action(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    _edit_infra_buildspec(tmp_path, lambda text: text.replace("bucket_name, ", ""))
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    exported = {v["name"] for v in _build(clients, ex_id, "Terraform")["exportedEnvironmentVariables"]}
    assert exported == {"distribution_id", "site_url"}
    assert _action_error(clients, "Web") == {
        "code": "JobFailed",
        "message": "An action in this pipeline failed because one or more variables could not be resolved: "
        "Action name=Upload",
    }
    assert build_id_of(cp, ex_id, "Upload", NAME) is None  # it never started a build


def test_an_unreadable_or_missing_buildspec_fails_in_download_source(
    clients: Clients, clock: ManualClock, tmp_path: Path
) -> None:
    _edit_infra_buildspec(tmp_path, lambda text: text.replace("phases:", "phases: [oops"))
    (Path(str(state().source_dir)) / "web" / "buildspec.yml").unlink()
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    assert advance_until(clock, lambda: _finished(cp, ex_id)) == "Failed"
    infra = _build(clients, ex_id, "Terraform")
    download = next(p for p in infra["phases"] if p["phaseType"] == "DOWNLOAD_SOURCE")
    assert download["phaseStatus"] == "FAILED"
    assert download["contexts"][0]["statusCode"] == "YAML_FILE_ERROR"
    assert [p["phaseType"] for p in infra["phases"]][-2:] == ["FINALIZING", "COMPLETED"]
    # The web project's file is gone: CodeBuild cannot stat it (a direct StartBuild shows it).
    build = clients("codebuild").start_build(projectName=f"{NAME}-web")["build"]
    done = advance_until(clock, lambda: _done(clients, build["id"]))
    context = next(p for p in done["phases"] if p["phaseType"] == "DOWNLOAD_SOURCE")["contexts"][0]
    assert context["statusCode"] == "YAML_FILE_ERROR"
    assert re.fullmatch(
        r"stat /codebuild/output/src\d+/src/web/buildspec\.yml: no such file or directory", context["message"]
    )


def _done(clients: Clients, build_id: str) -> dict[str, Any] | None:
    build = clients("codebuild").batch_get_builds(ids=[build_id])["builds"][0]
    return dict(build) if build["buildComplete"] else None


def test_log_events_become_readable_after_the_ingestion_lag(clients: Clients, clock: ManualClock) -> None:
    state().log_lag_seconds = 5.0
    cp, logs = clients("codepipeline"), clients("logs")
    ex_id = create_pipeline(clients)
    build_id = advance_until(clock, lambda: build_id_of(cp, ex_id, "Terraform", NAME))
    build = advance_until(clock, lambda: _done(clients, build_id))
    group, stream = build["logs"]["groupName"], build["logs"]["streamName"]
    events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)["events"]
    newest = max(e["timestamp"] for e in events) / 1000
    assert newest <= clock.now() - 5.0  # nothing younger than the lag is readable yet
    assert build["endTime"].timestamp() > newest
    clock.advance(6.0)
    later = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)["events"]
    assert len(later) > len(events)
    assert "Phase complete: UPLOAD_ARTIFACTS" in "\n".join(e["message"] for e in later)


def test_late_logs_the_error_arrives_after_the_build_failed(clients: Clients, clock: ManualClock) -> None:
    state().scenario = "late-logs"
    cp = clients("codepipeline")
    ex_id = create_pipeline(clients)
    build_id = advance_until(clock, lambda: build_id_of(cp, ex_id, "Terraform", NAME))
    build = advance_until(clock, lambda: _done(clients, build_id), step=0.1)
    assert build["buildStatus"] == "FAILED"
    assert "BucketAlreadyExists" not in _log(clients, build)
    clock.advance(5.0)
    text = _log(clients, build)
    assert "BucketAlreadyExists" in text
    assert "Command did not exit successfully terraform apply -input=false tfplan exit status 1" in text


def test_the_readme_buildspecs_are_the_sample_repository_files() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Your repository's buildspecs") : readme.index("## The offline emulator")]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    sample = sample_repo_dir()
    assert blocks == [(sample / "infra/buildspec.yml").read_text(), (sample / "web/buildspec.yml").read_text()]
    spec = parse_buildspec(blocks[0])
    assert installs_terraform(spec, "aws/codebuild/amazonlinux2-x86_64-standard:5.0")
    assert spec.exported_variables == ("bucket_name", "distribution_id", "site_url") and spec.has_artifacts
    install = " ".join(spec.commands("install"))
    assert re.search(r'echo "\$\{TF_SHA256\}  terraform\.zip" \| sha256sum -c -', install)
    assert re.fullmatch(r"[0-9a-f]{64}", spec.variables["TF_SHA256"])
    assert tuple(int(x) for x in spec.variables["TF_VERSION"].split(".")) >= (1, 10, 0)


@pytest.mark.parametrize(
    ("scenario", "check"),
    [
        ("missing-artifacts", lambda spec: not spec.has_artifacts),
        ("unresolved-variable", lambda spec: spec.exported_variables == ("bucket_name", "site_url")),
        ("no-terraform", lambda spec: not installs_terraform(spec, "aws/codebuild/standard:7.0")),
        ("happy", lambda spec: spec.has_artifacts and len(spec.exported_variables) == 3),
    ],
)
def test_scenarios_serve_variants_of_the_sample_repository(scenario: str, check: Any) -> None:
    st = configure(scenario=scenario)
    try:
        text = st.source().read_text(INFRA_BUILDSPEC)
        assert text is not None and check(parse_buildspec(text))
        assert st.source().read_text("web/buildspec.yml") == (sample_repo_dir() / "web/buildspec.yml").read_text()
        assert st.source().read_text("../etc/passwd") is None
    finally:
        configure()


def test_cli_source_dir_and_log_lag(tmp_path: Path) -> None:
    from tui.cli import build_parser

    args = build_parser().parse_args(["emulator", "--source-dir", str(tmp_path), "--log-lag", "2.5"])
    assert (args.source_dir, args.log_lag) == (tmp_path.resolve(), 2.5)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["emulator", "--source-dir", str(tmp_path / "missing")])
