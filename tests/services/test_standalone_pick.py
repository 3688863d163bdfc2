"""A standalone build from a picked execution or commit (tui/services/standalone_pick.py and the pick in
tui/services/standalone.py `make_request`): what is accepted as an execution id or a commit, which execution is taken,
and the one sentence when the pick names nothing or lacks what the action needs."""

from __future__ import annotations

import json
import string
import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.domain.errors import NotFound
from tui.domain.models import Execution, SourceRevision, Status
from tui.services.standalone import NothingSucceeded, find_target, make_request, request_from
from tui.services.standalone_pick import SCAN, Pick, PickError, parse_commit, parse_execution

HEX = "0123456789abcdef"
ENV = [{"name": "BUCKET_NAME", "value": "#{InfraVariables.bucket_name}", "type": "PLAINTEXT"}]


def _action(name: str, provider: str, **extra: Any) -> dict[str, Any]:
    category = "Source" if provider != "CodeBuild" else "Build"
    return {"name": name, "actionTypeId": {"category": category, "provider": provider}, **extra}


DECLARATION: dict[str, Any] = {
    "name": "site",
    "stages": [
        {"name": "Source", "actions": [_action("Source", "CodeStarSourceConnection", outputArtifacts=[{"name": "Src"}],
                                              namespace="SourceVariables")]},
        {"name": "DeployInfrastructure", "actions": [_action(
            "Terraform", "CodeBuild", configuration={"ProjectName": "site-infra"}, inputArtifacts=[{"name": "Src"}],
            outputArtifacts=[{"name": "Infra"}], namespace="InfraVariables")]},
        {"name": "DeployWebApplication", "actions": [_action(
            "DeployWeb", "CodeBuild",
            configuration={"ProjectName": "site-web", "EnvironmentVariables": json.dumps(ENV)},
            inputArtifacts=[{"name": "Src"}, {"name": "Infra"}])]},
    ],
}  # fmt: skip


def _id(n: int) -> str:
    """Execution n's id; those from 100 on share their first 8 characters."""
    return f"{'abcdef01' if n >= 100 else f'{n:08x}'}-0000-4000-8000-{n:012x}"


def _commit(n: int) -> str:
    return f"{n:07x}" + "c" * 33


def _run(n: int, *, infra: str = "Succeeded", commit: str | None = None) -> list[dict[str, Any]]:
    ex = _id(n)

    def detail(stage: str, action: str, status: str, artifact: str, **variables: str) -> dict[str, Any]:
        where = {"bucket": "art", "key": f"site/{artifact}/{n}"}
        output = {"outputArtifacts": [{"name": artifact, "s3location": where}], "outputVariables": variables}
        return {"pipelineExecutionId": ex, "stageName": stage, "actionName": action, "status": status, "output": output}

    return [
        detail("DeployInfrastructure", "Terraform", infra, "Infra", bucket_name=f"bucket-{n}"),
        detail("Source", "Source", "Succeeded", "Src", CommitId=commit or _commit(n)),
    ]


class Gateway:
    """The two reads of tui.aws.pipelines.PipelineGateway a pick makes, over runs numbered newest first."""

    def __init__(self, runs: dict[int, list[dict[str, Any]]]) -> None:
        self.runs = runs
        self.filtered: list[str] = []

    def list_executions(self, name: str, max_results: int = 25) -> list[Execution]:
        """ListPipelineExecutions: each run's source revision is its Source action's CommitId."""
        assert max_results == SCAN
        out = []
        for n in sorted(self.runs, reverse=True):
            commits = [d["output"]["outputVariables"]["CommitId"] for d in self.runs[n] if d["actionName"] == "Source"]
            revisions = tuple(SourceRevision("Source", c) for c in commits)
            out.append(Execution(_id(n), Status.SUCCEEDED, source_revisions=revisions))
        return out

    def action_executions(self, name: str, max_results: int = 300, *, execution_id: str | None = None) -> list[Any]:
        if execution_id is None:
            return [d for n in sorted(self.runs, reverse=True) for d in self.runs[n]]
        self.filtered.append(execution_id)
        found = [d for n, ds in self.runs.items() for d in ds if d["pipelineExecutionId"] == execution_id]
        if not found and execution_id not in {_id(n) for n in self.runs}:
            raise NotFound("not found", code="PipelineExecutionNotFoundException")
        return found

    def declaration(self, name: str) -> dict[str, Any]:
        return DECLARATION


class Builds:
    def project_artifacts_type(self, project: str) -> str:
        return "CODEPIPELINE"


def _request(runs: dict[int, list[dict[str, Any]]], target: str = "web", **pick: str) -> Any:
    return request_from(Gateway(runs), Builds(), "site", target, **pick)


def test_an_older_execution_is_built_from_its_own_artifacts_and_outputs() -> None:
    runs = {3: _run(3), 2: _run(2), 1: _run(1)}
    p = _request(runs, execution=_id(1))
    assert (p.execution_id, p.commit) == (_id(1), _commit(1))
    out = p.overrides()
    assert out["sourceLocationOverride"] == "art/site/Src/1"
    assert out["secondarySourcesOverride"][0]["location"] == "art/site/Infra/1"
    assert out["environmentVariablesOverride"] == [{"name": "BUCKET_NAME", "value": "bucket-1", "type": "PLAINTEXT"}]
    assert f"  source: commit {_commit(1)[:12]} of execution {_id(1)[:8]} (picked with --execution)" in p.describe()
    assert _request(runs, execution=_id(1)[:8]).execution_id == _id(1)  # the 8 characters the history shows


def test_a_commit_prefix_picks_the_newest_execution_of_that_commit_with_what_it_needs() -> None:
    # Executions 2 and 1 both ran commit 1's: 2 has no infra outputs, so 1 is taken.
    gateway = Gateway({3: _run(3), 2: _run(2, infra="Failed", commit=_commit(1)), 1: _run(1)})
    p = request_from(gateway, Builds(), "site", "web", commit=_commit(1)[:7].upper())
    assert p.execution_id == _id(1) and gateway.filtered == [_id(2), _id(1)]
    assert f"(the newest run of commit {_commit(1)[:12]})" in p.describe()[1]
    with pytest.raises(PickError) as exc:  # its only run lacks the infra outputs: the newest that has them
        _request({2: _run(2), 1: _run(1, infra="Failed")}, commit=_commit(1)[:7])
    assert exc.value.sentence.startswith(
        f"DeployInfrastructure/Terraform did not succeed in any run of commit {_commit(1)[:12]} of site"
    )
    assert f"pick execution {_id(2)[:8]} (commit {_commit(2)[:12]})" in exc.value.sentence


def test_a_picked_execution_without_the_infra_outputs_names_the_one_to_pick() -> None:
    runs = {3: _run(3, infra="Failed"), 2: _run(2), 1: _run(1, infra="Failed")}
    with pytest.raises(PickError) as exc:
        _request(runs, execution=_id(3))
    said = exc.value.sentence
    assert said.startswith(f"DeployInfrastructure/Terraform did not succeed in execution {_id(3)[:8]} of site")
    assert f"pick execution {_id(2)[:8]} (commit {_commit(2)[:12]}), the newest in which it did." in said
    # The infra action needs only the source, which that execution has.
    assert _request(runs, "infra", execution=_id(3)).execution_id == _id(3)


def test_a_pick_when_nothing_ever_succeeded_offers_the_full_run() -> None:
    with pytest.raises(NothingSucceeded) as exc:
        _request({1: _run(1, infra="Failed")}, execution=_id(1))
    assert exc.value.action == "DeployWeb" and "nor in any recent execution of site" in exc.value.reason
    assert "`aws codepipeline start-pipeline-execution --name site`" in exc.value.sentence


@pytest.mark.parametrize(
    ("pick", "said"),
    [
        ({"commit": "1234567"}, "No execution among the newest 300 of site ran commit 1234567"),
        ({"execution": "ffffffff"}, "No execution among the newest 300 of site starts with ffffffff"),
        ({"execution": _id(9)}, f"site has no execution {_id(9)}"),
        ({"commit": "abc"}, "--commit takes 7 or more hexadecimal characters"),
        ({"execution": "1a2b3c"}, "--execution takes an execution id"),
    ],
)
def test_a_pick_that_names_nothing_is_one_sentence(pick: dict[str, str], said: str) -> None:
    with pytest.raises(PickError) as exc:
        _request({1: _run(1)}, **pick)
    assert exc.value.sentence.startswith(said) and "\n" not in exc.value.sentence


def test_an_ambiguous_prefix_asks_for_more() -> None:
    runs = {116: _run(116, commit="abcdef0" + "2" * 33), 101: _run(101, commit="abcdef0" + "1" * 33)}
    with pytest.raises(PickError, match=r"abcdef0 starts several commits that ran in site .*; give more of it\."):
        _request(runs, commit="abcdef0")
    assert _request(runs, commit="abcdef01").execution_id == _id(101)
    with pytest.raises(PickError, match="abcdef01 starts several executions of site"):
        _request(runs, execution="abcdef01")
    assert _request(runs, execution=_id(101)[:-1]).execution_id == _id(101)


def test_the_request_itself_takes_the_pick_in_order() -> None:
    details = _run(2) + _run(1)
    pick = Pick((_id(1),), "execution 00000000", "the execution you are viewing")
    p = make_request("site", DECLARATION, details, find_target(DECLARATION, "web"), artifacts_type=None, pick=pick)
    assert p.execution_id == _id(1) and p.describe()[1].endswith("(the execution you are viewing)")


@given(st.text(alphabet=HEX + HEX.upper(), min_size=7, max_size=64), st.sampled_from(["", " ", "\t"]))
def test_any_7_to_64_hex_characters_are_a_commit(text: str, pad: str) -> None:
    assert parse_commit(pad + text + pad) == text.lower()


@given(st.text(alphabet=string.printable, max_size=70))
def test_anything_else_is_refused_as_a_commit(text: str) -> None:
    value = text.strip().lower()
    if 7 <= len(value) <= 64 and set(value) <= set(HEX):
        assert parse_commit(text) == value
    else:
        with pytest.raises(PickError):
            parse_commit(text)


@given(st.uuids(), st.integers(min_value=8, max_value=36))
def test_an_execution_id_or_its_first_8_or_more_characters_are_accepted(ex: uuid.UUID, length: int) -> None:
    assert parse_execution(str(ex)[:length].upper()) == str(ex)[:length]


@given(st.text(alphabet=string.printable, max_size=40))
def test_other_execution_ids_are_refused(text: str) -> None:
    value = text.strip().lower()
    ok = len(value) >= 8 and set(value[:8]) <= set(HEX) and set(value) <= set(HEX + "-") and len(value) <= 36
    if len(value) == 36:
        try:
            ok = str(uuid.UUID(value)) == value
        except ValueError:
            ok = False
    if ok:
        assert parse_execution(text) == value
    else:
        with pytest.raises(PickError):
            parse_execution(text)
