"""One definition of the derived resource names: what the wizard and `setup --token-stdin` show is what
provisioning creates (and destroy removes)."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.examples import examples
from tui.services import validators as v
from tui.services.config import AppConfig
from tui.services.provision.context import Context
from tui.services.provision.desired import all_desired

ACCOUNT = "123456789012"
# Valid pipeline names, with the awkward characters ('_', '-' at the end, upper case) well represented.
pipeline_names = st.text(alphabet="aZ09_-.@", min_size=1, max_size=40).filter(lambda n: v.validate_pipeline_name(n).ok)


def _provisioned(name: str) -> dict[str, list[str]]:
    ctx = Context(replace(AppConfig(), pipeline_name=name, repo="octo-org/site", branch="main"), ACCOUNT, "eu-west-1")
    out: dict[str, list[str]] = {}
    for desired in all_desired(ctx):
        out.setdefault(desired.kind, []).append(desired.name)
    return out


@settings(max_examples=examples(150), deadline=None)
@given(pipeline_names)
def test_shown_names_are_the_provisioned_names(name: str) -> None:
    shown = dict(v.derived_names(name, ACCOUNT).as_rows())
    made = _provisioned(name)
    assert shown["CodePipeline pipeline"] == made["pipeline"][0] == name
    assert [shown["CodeBuild project (infrastructure)"], shown["CodeBuild project (web)"]] == made["project"]
    assert [shown["CodeStar connection"]] == made["connection"]
    assert [shown["S3 artifact bucket"], v.derived_names(name, ACCOUNT).state_bucket] == made["bucket"]
    assert sorted(shown["IAM roles"].split(", ")) == sorted(made["role"])


def test_a_trailing_dash_or_underscore_is_not_doubled_in_the_bucket() -> None:
    for name in ("site-", "site_", "Site__"):
        assert v.derived_names(name, ACCOUNT).bucket == f"site-artifacts-{ACCOUNT}"
        assert _provisioned(name)["bucket"] == [f"site-artifacts-{ACCOUNT}", f"site-tfstate-{ACCOUNT}"]
