"""Headless setup with the buildspec checks and existing CodeBuild projects (`--infra-project`/`--web-project`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.wizard import INFRA_BARE, REPO_FILES, WEB_OK, existing_project, run_headless
from tui.emulator.github import DEMO_TOKEN, FakeGitHub
from tui.services.config import load_config
from tui.services.token_store import SERVICE_NAME


def test_a_bare_infra_buildspec_is_reported_and_shapes_the_saved_config(setup_env: FakeGitHub, tmp_path: Path) -> None:
    with FakeGitHub(files={**REPO_FILES, "infra/buildspec.yml": INFRA_BARE}) as fake:
        rc, out, err, _ = run_headless(fake, tmp_path, DEMO_TOKEN)
    assert (rc, err) == (0, "")
    assert "Buildspecs: 4 findings" in out
    assert (
        "! infra/buildspec.yml lists none of bucket_name, distribution_id, site_url in `env.exported-variables`" in out
    )
    assert "! infra/buildspec.yml has no `artifacts` section" in out
    assert "✗ infra/buildspec.yml runs terraform but no `phases.install`" in out
    assert "      - unzip -o /tmp/tf.zip -d /usr/local/bin" in out  # the snippet, indented to paste
    assert "The web build receives none (the web build reads the Terraform outputs itself)" in out
    assert "must be named website-site-123456789012" in out
    config = load_config(tmp_path / "c.toml")
    assert config is not None
    assert (config.infra_exports, config.infra_artifacts) == ([], False)
    assert (config.infra_project, config.web_project) == (None, None)


def test_good_buildspecs_say_so_and_save_what_they_export(setup_env: FakeGitHub, tmp_path: Path) -> None:
    rc, out, _err, _ = run_headless(setup_env, tmp_path, DEMO_TOKEN)
    assert rc == 0 and "Buildspecs: both have what the pipeline needs." in out
    config = load_config(tmp_path / "c.toml")
    assert config is not None
    assert (config.infra_exports, config.infra_artifacts) == (["bucket_name", "distribution_id", "site_url"], True)


def test_existing_projects_are_reused_and_their_own_buildspecs_checked(setup_env: FakeGitHub, tmp_path: Path) -> None:
    existing_project("old-infra", INFRA_BARE, image="hashicorp/terraform:1.10")  # inline, on an image with Terraform
    existing_project("old-web", "web/buildspec.yml")  # a path in the repository
    rc, out, err, _ = run_headless(
        setup_env, tmp_path, DEMO_TOKEN, "--infra-project", "old-infra", "--web-project", "old-web"
    )
    assert (rc, err) == (0, ""), err
    assert "Infrastructure build: existing project old-infra, reused unchanged." in out
    assert "Web build: existing project old-web, reused unchanged." in out
    assert "project old-infra's inline buildspec lists none of" in out and "has no `artifacts` section" in out
    assert "runs terraform but" not in out  # the project's own image has it
    will_create = next(line for line in out.splitlines() if line.startswith("Will create:"))
    assert "CodeBuild project" not in will_create
    assert "IAM roles website-pipeline, S3" in will_create  # the reused projects keep their own roles
    config = load_config(tmp_path / "c.toml")
    assert config is not None
    assert (config.infra_project, config.web_project) == ("old-infra", "old-web")
    assert (config.infra_exports, config.infra_artifacts) == ([], False)


def test_a_reused_project_whose_buildspec_file_is_missing_is_a_failing_finding(
    setup_env: FakeGitHub, tmp_path: Path
) -> None:
    existing_project("old-web", "")  # CodeBuild's default: buildspec.yml at the source root, not in this repository
    rc, out, _err, _ = run_headless(setup_env, tmp_path, DEMO_TOKEN, "--web-project", "old-web")
    assert rc == 0
    assert "✗ buildspec.yml (project old-web) was not checked: it is not on branch main" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--infra-project", "nope"), "--infra-project: there is no CodeBuild project nope in region eu-west-1."),
        (("--web-project=_x",), "--web-project: Character 1 of the CodeBuild project name is '_'"),
    ],
)
def test_a_project_that_does_not_exist_is_one_sentence_and_nothing_is_saved(
    setup_env: FakeGitHub, tmp_path: Path, extra: tuple[str, ...], message: str
) -> None:
    rc, _out, err, keyring = run_headless(setup_env, tmp_path, DEMO_TOKEN, *extra)
    assert rc == 1 and err.startswith("pipeline-tui setup: ") and message in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "c.toml").exists() and keyring.get_password(SERVICE_NAME, "127.0.0.1") is None


def test_web_buildspec_alone_is_fine(setup_env: FakeGitHub, tmp_path: Path) -> None:
    """The web build needs no Terraform and no artifacts: a minimal one has no finding of its own."""
    with FakeGitHub(files={**REPO_FILES, "web/buildspec.yml": WEB_OK}) as fake:
        rc, out, _err, _ = run_headless(fake, tmp_path, DEMO_TOKEN)
    assert rc == 0 and "web/buildspec.yml" not in out.split("Buildspecs:")[1].split("Will create")[0]
