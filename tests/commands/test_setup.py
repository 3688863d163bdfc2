from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from tests.support.wizard import run_headless as _run
from tests.support.wizard import use_sample_repo
from tui.cli import build_parser, main, options_from
from tui.commands.setup import headless
from tui.emulator.github import DEMO_TOKEN, FakeGitHub
from tui.services.config import load_config
from tui.services.token_store import SERVICE_NAME, MemoryKeyring


@pytest.fixture
def env(setup_env: FakeGitHub) -> FakeGitHub:
    return setup_env


def test_headless_happy_path_writes_config_and_keyring(env: FakeGitHub, tmp_path: Path) -> None:
    rc, out, err, backend = _run(env, tmp_path, DEMO_TOKEN + "\n")
    assert (rc, err) == (0, "")
    assert "GitHub: octo-org/website (private), branch main at 3f9c2a1 Add CloudFront cache headers" in out
    assert "AWS: account 123456789012" in out and "S3 artifact bucket website-artifacts-123456789012" in out
    config = load_config(tmp_path / "c.toml")
    assert config is not None
    assert (config.pipeline_name, config.repo, config.branch, config.aws_region) == (
        "website",
        "octo-org/website",
        "main",
        "eu-west-1",
    )
    assert config.aws_account_id == "123456789012" and config.github_api_url == env.url
    assert config.web_variables == ["BUCKET_NAME"]  # all the web buildspec reads: the pipeline passes only it
    assert backend.get_password(SERVICE_NAME, "127.0.0.1") == DEMO_TOKEN
    assert DEMO_TOKEN not in out + err + (tmp_path / "c.toml").read_text()


@pytest.mark.parametrize(
    ("token", "extra", "message"),
    [
        ("ghp_short", (), "9 characters, but a classic GitHub token has 40"),
        ("ghp_" + "x" * 36, (), "GitHub rejected the token (401 Bad credentials)"),
        (DEMO_TOKEN, ("--branch", "nope"), "Branch nope was not found in octo-org/website"),
        (DEMO_TOKEN, ("--branch", "develop"), "infra/buildspec.yml does not exist on branch develop"),
        (DEMO_TOKEN, ("--name", "a" * 30), "--name: The CodeStar connection name"),
        (DEMO_TOKEN, ("--branch", "a..b"), "--branch: Branch names cannot contain '..'."),
    ],
)
def test_headless_failures_exit_1_and_write_nothing(
    env: FakeGitHub, tmp_path: Path, token: str, extra: tuple[str, ...], message: str
) -> None:
    rc, out, err, backend = _run(env, tmp_path, token, *extra)
    assert rc == 1
    assert err.startswith("pipeline-tui setup: ") and message in err
    assert not (tmp_path / "c.toml").exists()
    assert backend.get_password(SERVICE_NAME, "127.0.0.1") is None
    assert token not in out + err or len(token) < 12


def test_headless_refuses_without_keyring(env: FakeGitHub, tmp_path: Path) -> None:
    from keyring.backends import fail

    rc, out, err, _ = _run(env, tmp_path, DEMO_TOKEN, keyring=fail.Keyring())  # type: ignore[arg-type]
    assert rc == 1 and "No secure OS keyring" in err and out == ""
    assert not (tmp_path / "c.toml").exists()
    assert env.state.requests == []  # refused before any network call


def test_headless_expired_credentials_name_the_fix(env: FakeGitHub, tmp_path: Path) -> None:
    from tui.domain.errors import CredentialsError

    def expired(settings):  # type: ignore[no-untyped-def]
        raise CredentialsError("Your AWS SSO session has expired.", hint="Run `aws sso login --profile dev`.")

    ns = build_parser().parse_args(
        [
            "setup",
            "--repo",
            "octo-org/website",
            "--region",
            "eu-west-1",
            "--github-api-url",
            env.url,
            "--config",
            str(tmp_path / "c.toml"),
        ]
    )
    err = io.StringIO()
    rc = headless(
        options_from(ns), ns, DEMO_TOKEN, out=io.StringIO(), err=err, token_store=MemoryKeyring(), identity=expired
    )
    assert rc == 1 and "aws sso login --profile dev" in err.getvalue()


def test_cli_demo_setup_runs_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_TOKEN))
    use_sample_repo(monkeypatch, tmp_path)
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(var, raising=False)
    rc = main(
        [
            "--demo",
            "setup",
            "--repo",
            "octo-org/website",
            "--region",
            "eu-west-1",
            "--config",
            str(tmp_path / "c.toml"),
            "--token-stdin",
        ]
    )
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "Saved" in captured.out and DEMO_TOKEN not in captured.out + captured.err


def test_setup_without_terminal_or_token_stdin_exits_2(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    from tui.commands import setup

    ns = argparse.Namespace(token_stdin=False)
    assert setup.run(options_from(build_parser().parse_args(["setup"])), ns) == 2
    assert "--token-stdin" in capsys.readouterr().err


def test_headless_rerun_keeps_what_setup_does_not_ask_for(env: FakeGitHub, tmp_path: Path) -> None:
    """As the wizard does (tui.services.setup): the KMS key, the connection and the log retention survive."""
    from dataclasses import replace

    from tui.services.config import save_config

    assert _run(env, tmp_path, DEMO_TOKEN)[0] == 0
    first = load_config(tmp_path / "c.toml")
    assert first is not None
    kept = {
        "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "connection_arn": "arn:aws:codeconnections:eu-west-1:123456789012:connection/abcd",
        "log_retention_days": 90,
    }
    save_config(replace(first, **kept), tmp_path / "c.toml")
    rc, _out, err, _ = _run(env, tmp_path, DEMO_TOKEN, "--name", "renamed")
    assert (rc, err) == (0, "")
    again = load_config(tmp_path / "c.toml")
    assert again is not None and again.pipeline_name == "renamed"
    assert {key: getattr(again, key) for key in kept} == kept


def test_headless_shows_the_bucket_provisioning_creates(env: FakeGitHub, tmp_path: Path) -> None:
    rc, out, err, _ = _run(env, tmp_path, DEMO_TOKEN, "--name", "site-")
    assert (rc, err) == (0, "")
    assert "S3 artifact bucket site-artifacts-123456789012." in out


def test_a_name_whose_resources_belong_to_another_pipeline_is_refused(env: FakeGitHub, tmp_path: Path) -> None:
    """`website_` was set up before; `website` derives the same bucket name: refused, and nothing is saved."""
    import boto3

    s3 = boto3.client("s3", region_name="eu-west-1")
    bucket = "website-artifacts-123456789012"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    tags = [{"Key": "managed-by", "Value": "pipeline-tui"}, {"Key": "pipeline-tui:pipeline", "Value": "website_"}]
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    rc, _out, err, backend = _run(env, tmp_path, DEMO_TOKEN, "--name", "website")
    assert rc == 1
    assert err.strip() == (
        f"pipeline-tui setup: The pipeline name website would share the bucket {bucket} with pipeline website_: "
        "choose another name with --name."
    )
    assert not (tmp_path / "c.toml").exists() and backend.get_password(SERVICE_NAME, "127.0.0.1") is None


def test_a_region_exported_for_other_work_does_not_move_the_configured_pipeline(
    env: FakeGitHub,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys,  # type: ignore[no-untyped-def]
) -> None:
    """`setup --region eu-west-1` in a shell exporting AWS_REGION=us-east-1, then `provision --yes`: the
    pipeline is created in eu-west-1, and `status` finds it there."""
    import boto3

    rc, _out, err, _backend = _run(env, tmp_path, DEMO_TOKEN)
    assert rc == 0, err
    config = str(tmp_path / "c.toml")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert main(["provision", "--yes", "--config", config]) == 0
    assert [p["name"] for p in boto3.client("codepipeline", region_name="eu-west-1").list_pipelines()["pipelines"]] == [
        "website"
    ]
    assert boto3.client("codepipeline", region_name="us-east-1").list_pipelines()["pipelines"] == []
    capsys.readouterr()
    assert main(["status", "--config", config, "--retry-for", "0"]) in (0, 1, 3)
    assert "(eu-west-1)" in capsys.readouterr().out
