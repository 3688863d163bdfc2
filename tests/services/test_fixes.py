"""The fix pipeline-tui suggests for the failures the strict emulator (and AWS) produce."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.services.cause import find_cause
from tui.services.fixes import suggest_fix


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("UPLOAD_ARTIFACTS: CLIENT_ERROR: no definition for primary artifacts in buildspec", "`artifacts:`"),
        ("/codebuild/output/tmp/script.sh: 4: terraform: not found", "Install Terraform"),
        (
            "An action in this pipeline failed because one or more variables could not be resolved: "
            "Action name=DeployWeb",
            "exported-variables",
        ),
        (
            "Error calling startBuild: User: arn:aws:sts::123456789012:assumed-role/site-pipeline/1 is not authorized"
            " to perform: codebuild:StartBuild on resource: arn:aws:codebuild:us-east-1:123456789012:project/site-web",
            "Allow codebuild:StartBuild",
        ),
        ("Error: creating S3 Bucket (site-prod): ... BucketAlreadyExists: ", "taken"),
    ],
)
def test_known_failures_get_their_fix(text: str, words: str) -> None:
    fix = suggest_fix([text])
    assert fix is not None and words in fix


def test_an_unknown_failure_gets_no_made_up_fix() -> None:
    assert suggest_fix(["make: *** [Makefile:3: build] Error 1"]) is None


def test_the_cause_carries_the_fix() -> None:
    lines = [
        "[Container] 2026/12/01 10:00:00.000000 Running command terraform init -input=false",
        "/codebuild/output/tmp/script.sh: 4: terraform: not found",
        "[Container] 2026/12/01 10:00:00.100000 Command did not exit successfully terraform init -input=false "
        "exit status 127",
    ]
    cause = find_cause(lines)
    assert cause is not None and cause.fix is not None and "Install Terraform" in cause.fix


@given(st.lists(st.text(max_size=200), max_size=5))
def test_suggest_fix_never_fails(texts: list[str]) -> None:
    fix = suggest_fix(texts)
    assert fix is None or fix.endswith(".")
