"""CodeBuild served by the emulator: projects, direct builds, stop, ordering, bulk logs."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.support.emulator import CODEBUILD, Clients, advance_until, read_log, service_role
from tui.emulator import ManualClock
from tui.emulator.state import state

ENV = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"}
TERRAFORM_BUILDSPEC = """version: 0.2
phases:
  install:
    commands:
      - curl -fsSLo terraform.zip https://releases.hashicorp.com/terraform/1.10.5/terraform_1.10.5_linux_amd64.zip
      - unzip -o -q terraform.zip -d /usr/local/bin
  build:
    commands:
      - terraform init -input=false
      - terraform $TF_ACTION -auto-approve
"""
MAKE_BUILDSPEC = """version: 0.2
phases:
  build:
    commands:
      - make build
"""


def _role(clients: Clients) -> str:
    try:
        return str(clients("iam").get_role(RoleName="builds")["Role"]["Arn"])
    except clients("iam").exceptions.NoSuchEntityException:
        return service_role(clients("iam"), "builds", CODEBUILD)


def _project(clients: Clients, name: str, buildspec: str | None = None, **extra: object) -> dict:
    return clients("codebuild").create_project(
        name=name,
        source={"type": "CODEPIPELINE", **({"buildspec": buildspec} if buildspec else {})},
        artifacts={"type": "CODEPIPELINE"},
        environment=ENV,
        serviceRole=_role(clients),
        **extra,
    )["project"]


def test_codepipeline_projects_need_no_location_and_can_be_updated(clients: Clients) -> None:
    cb = clients("codebuild")
    created = _project(clients, "site-infra")
    assert created["source"] == {"type": "CODEPIPELINE"}
    updated = cb.update_project(
        name="site-infra",
        description="terraform",
        environment={**ENV, "environmentVariables": [{"name": "TF_ACTION", "value": "plan"}]},
        logsConfig={"cloudWatchLogs": {"status": "ENABLED", "groupName": "/custom/group"}},
    )["project"]
    assert updated["name"] == "site-infra"
    assert updated["description"] == "terraform"
    assert updated["environment"]["environmentVariables"][0]["name"] == "TF_ACTION"
    assert updated["logsConfig"]["cloudWatchLogs"]["groupName"] == "/custom/group"
    assert updated["lastModified"] >= updated["created"]
    assert cb.batch_get_projects(names=["site-infra"])["projects"][0]["description"] == "terraform"
    with pytest.raises(ClientError) as info:
        cb.update_project(name="missing", description="x")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        cb.create_project(
            name="s3-src",
            source={"type": "S3"},
            artifacts={"type": "NO_ARTIFACTS"},
            environment=ENV,
            serviceRole=_role(clients),
        )
    assert info.value.response["Error"]["Code"] == "InvalidInputException"


def test_direct_build_uses_the_project_log_group_and_env_overrides(clients: Clients, clock: ManualClock) -> None:
    cb, logs = clients("codebuild"), clients("logs")
    _project(
        clients,
        "site-infra",
        TERRAFORM_BUILDSPEC,
        logsConfig={"cloudWatchLogs": {"status": "ENABLED", "groupName": "/custom/group"}},
    )
    build = cb.start_build(
        projectName="site-infra", environmentVariablesOverride=[{"name": "TF_ACTION", "value": "destroy"}]
    )["build"]
    assert build["id"].startswith("site-infra:") and build["buildNumber"] == 1
    assert build["buildStatus"] == "IN_PROGRESS"
    build_id = build["id"]
    done = advance_until(clock, lambda: cb.batch_get_builds(ids=[build_id])["builds"][0]["buildComplete"])
    assert done
    final = cb.batch_get_builds(ids=[build_id])["builds"][0]
    assert final["buildStatus"] == "SUCCEEDED"
    assert final["logs"]["groupName"] == "/custom/group"
    text = "\n".join(read_log(logs, "/custom/group", final["logs"]["streamName"]))
    assert "Destroy complete!" in text
    assert final["endTime"] > final["startTime"]


def test_stop_build_and_ordering(clients: Clients, clock: ManualClock) -> None:
    cb = clients("codebuild")
    _project(clients, "app", MAKE_BUILDSPEC)
    first = cb.start_build(projectName="app")["build"]["id"]
    clock.advance(5)
    second = cb.start_build(projectName="app")["build"]["id"]
    assert cb.list_builds_for_project(projectName="app")["ids"] == [second, first]
    assert cb.list_builds_for_project(projectName="app", sortOrder="ASCENDING")["ids"] == [first, second]
    assert cb.list_builds()["ids"] == [second, first]
    stopped = cb.stop_build(id=first)["build"]
    assert stopped["id"] == first
    assert "STOPPED" in [p.get("phaseStatus") for p in stopped["phases"]]
    clock.advance(60)
    final = cb.batch_get_builds(ids=[first, "app:missing"])
    assert final["buildsNotFound"] == ["app:missing"]
    build = final["builds"][0]
    assert build["buildStatus"] == "STOPPED"
    assert any(p.get("phaseStatus") == "STOPPED" for p in build["phases"])
    with pytest.raises(ClientError) as info:
        cb.stop_build(id="app:nope")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        cb.batch_get_builds(ids=["no-colon"])
    assert info.value.response["Error"]["Code"] == "InvalidInputException"


def test_bulk_log_lines_arrive_in_order(clients: Clients, clock: ManualClock) -> None:
    st = state()
    st.log_lines_per_second = 5_000
    st.log_total_lines = 20_000
    cb, logs = clients("codebuild"), clients("logs")
    _project(clients, "big", MAKE_BUILDSPEC)
    build_id = cb.start_build(projectName="big")["build"]["id"]
    clock.advance(3600)
    build = cb.batch_get_builds(ids=[build_id])["builds"][0]
    assert build["buildStatus"] == "SUCCEEDED"
    # BUILD lasts long enough to write the lines at the configured rate.
    phase = next(p for p in build["phases"] if p["phaseType"] == "BUILD")
    assert phase["durationInSeconds"] >= 4
    timestamps: list[int] = []
    count = 0
    kwargs = {"logGroupName": build["logs"]["groupName"], "logStreamName": build["logs"]["streamName"]}
    page = logs.get_log_events(startFromHead=True, **kwargs)
    while page["events"]:
        timestamps += [e["timestamp"] for e in page["events"]]
        count += sum("compiling module_" in e["message"] for e in page["events"])
        page = logs.get_log_events(startFromHead=True, nextToken=page["nextForwardToken"], **kwargs)
    assert count == 20_000
    assert timestamps == sorted(timestamps)
