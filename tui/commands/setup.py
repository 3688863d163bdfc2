"""`pipeline-tui setup`: the wizard on a terminal, or the same checks headless with ``--token-stdin``.

Top-level imports stay stdlib-only (``pipeline-tui --version`` and ``--help`` must stay fast).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tui.services.options import Options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", help="GitHub repository as owner/name (a https://github.com/... URL works too)")
    parser.add_argument("--branch", help="branch to build (default: the repository's default branch)")
    parser.add_argument("--name", help="pipeline name (default: from the repository name)")
    parser.add_argument("--infra-buildspec", default="infra/buildspec.yml", help="default: %(default)s")
    parser.add_argument("--web-buildspec", default="web/buildspec.yml", help="default: %(default)s")
    parser.add_argument("--policy-arn", help="managed policy for the infrastructure build (default: a scoped policy)")
    parser.add_argument(
        "--token-stdin",
        action="store_true",
        help="read the GitHub token from standard input and run headless (no wizard)",
    )


def run(options: Options, ns: argparse.Namespace) -> int:
    with ExitStack() as stack:
        services: Any = None
        if options.demo:  # offline: emulator, fake GitHub, in-memory keyring, throw-away config dir
            options, services = _demo(options, stack)
        if getattr(ns, "token_stdin", False):
            extra = _headless_demo(stack) if services is not None else {}
            return headless(options, ns, sys.stdin.read(), out=sys.stdout, **extra)
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            _fail("no terminal for the wizard: pass --token-stdin with --repo and --region to run headless.")
            return 2
        from tui.cli import make_setup_app, run_app

        app = run_app(make_setup_app(options, services))
        code = int(app.return_code or 0)
        if code == 0 and app.return_value is None:
            return 1  # quit without saving
        if code == 0:
            print(f"Saved {options.config_path}; the token is in the OS keyring. Next: pipeline-tui provision")
        return code


def _fail(message: str, err: TextIO | None = None) -> int:
    print(f"pipeline-tui setup: {message}", file=err or sys.stderr)
    return 1


def headless(
    options: Options,
    ns: argparse.Namespace,
    raw_token: str,
    *,
    out: TextIO,
    err: TextIO | None = None,
    token_store: Any = None,
    github_api_url: str | None = None,
    identity: Any = None,
) -> int:
    """Validate, check GitHub and AWS, then save the config and the token. 0 on success, 1 on any failure."""
    from tui.aws.session import AwsSettings
    from tui.domain.errors import PipelineTuiError
    from tui.services import validators as v
    from tui.services.aws_identity import fetch_identity
    from tui.services.config import config_from_checks, save_config
    from tui.services.github import DEFAULT_API_URL, GitHubClient
    from tui.services.token_store import TokenStore

    err = err or sys.stderr
    token = v.validate_token(raw_token)
    if not token.ok:
        return _fail(str(token.error), err)
    if token.note and raw_token.strip() != token.value:
        print(token.note, file=out)
    checks = [
        ("--repo", v.normalise_repo(ns.repo or "")),
        ("--branch", v.validate_branch(ns.branch) if ns.branch else v.Checked("")),
        ("--infra-buildspec", v.validate_buildspec_path(ns.infra_buildspec, label="infrastructure buildspec")),
        ("--web-buildspec", v.validate_buildspec_path(ns.web_buildspec, label="web buildspec")),
        ("--region", v.validate_region(options.aws.region or _profile_region(options.aws.profile))),
        ("--policy-arn", v.validate_policy_arn(ns.policy_arn or "")),
        ("--github-api-url", v.validate_api_url(github_api_url or options.github_api_url or DEFAULT_API_URL)),
    ]
    for flag, result in checks:
        if not result.ok:
            return _fail(f"{flag}: {result.error}", err)
    repo, branch, infra, web, region, policy, api_url = (r.value for _, r in checks)
    if checks[5][1].note and policy:
        print(checks[5][1].note, file=out)
    host = v.github_host(api_url)
    store = TokenStore(token_store)
    try:
        store.check_available()
        check = GitHubClient(token.value, api_url).check_repo(repo, branch or None, (infra, web))
        print(
            f"GitHub: {check.repo} ({'private' if check.private else 'public'}), branch {check.branch} at "
            f"{check.commit_summary}; {infra} and {web} found.",
            file=out,
        )
        settings = AwsSettings(options.aws.profile, region, options.aws.endpoint_url)
        who = (identity or fetch_identity)(settings)
        print(f"AWS: account {who.account_id} as {who.arn} (region {region}).", file=out)
        name = v.validate_pipeline_name(ns.name or v.suggest_pipeline_name(repo), who.account_id)
        if not name.ok:
            return _fail(f"--name: {name.error}", err)
        config = config_from_checks(
            check,
            who,
            pipeline_name=name.value,
            github_api_url=api_url,
            github_host=host,
            infra_buildspec=infra,
            web_buildspec=web,
            infra_policy_arn=policy or None,
        )
        names = v.derived_names(name.value, who.account_id)
        print("Will create: " + ", ".join(f"{label} {value}" for label, value in names.as_rows()) + ".", file=out)
        save_config(config, options.config_path or _default_path())
        store.set(host, token.value)
    except PipelineTuiError as exc:
        return _fail(exc.sentence, err)
    print(
        f"Saved {options.config_path or _default_path()}; token {v.mask_token(token.value)} stored in the OS "
        f"keyring (service pipeline-tui, user {host}).",
        file=out,
    )
    return 0


def _default_path() -> Any:
    from tui.services.config import default_config_path

    return default_config_path()


def _demo(options: Options, stack: ExitStack) -> tuple[Options, Any]:
    from tui.demo import DemoEnvironment

    demo = stack.enter_context(DemoEnvironment(options.scenario))
    return demo.start(options)


def _headless_demo(stack: ExitStack) -> dict[str, Any]:
    """For a headless --demo run: the fake GitHub API (stopped on exit) and an in-memory keyring."""
    from tui.services.fake_github import FakeGitHub
    from tui.services.token_store import MemoryKeyring

    fake = stack.enter_context(FakeGitHub())
    return {"token_store": MemoryKeyring(), "github_api_url": fake.url}


def _profile_region(profile: str | None) -> str:
    """The region the profile (or boto3's chain) names, or "" when there is none."""
    import boto3
    import botocore.exceptions as bx

    try:
        return boto3.Session(profile_name=profile).region_name or ""
    except bx.BotoCoreError:
        return ""
