"""`pipeline-tui setup`: the wizard on a terminal, or the same checks headless with ``--token-stdin``.

Top-level imports stay stdlib-only (``pipeline-tui --version`` and ``--help`` must stay fast).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tui.services.options import Options


TOKEN_PROMPT = "pipeline-tui setup: paste the token, then press Enter (it is not shown; Ctrl+C cancels): "


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", help="GitHub repository as owner/name (a https://github.com/... URL works too)")
    parser.add_argument("--branch", help="branch to build (default: the repository's default branch)")
    parser.add_argument("--name", help="pipeline name (default: from the repository name)")
    parser.add_argument("--infra-buildspec", default="infra/buildspec.yml", help="default: %(default)s")
    parser.add_argument("--web-buildspec", default="web/buildspec.yml", help="default: %(default)s")
    parser.add_argument("--policy-arn", help="managed policy for the infrastructure build (default: a scoped policy)")
    parser.add_argument(
        "--infra-project",
        metavar="NAME",
        help="use this existing CodeBuild project as the infrastructure build (never modified; default: create one)",
    )
    parser.add_argument(
        "--web-project",
        metavar="NAME",
        help="use this existing CodeBuild project as the web build (never modified; default: create one)",
    )
    parser.add_argument(
        "--token-stdin",
        action="store_true",
        help="read the GitHub token from standard input and run headless (no wizard)",
    )


def run(
    options: Options,
    ns: argparse.Namespace,
    *,
    launch_wizard: Callable[[Options, Any], Any] | None = None,
    start_demo: Callable[[Options, ExitStack], tuple[Options, Any]] | None = None,
) -> int:
    """``launch_wizard`` (run the app on the wizard; returns the app) and ``start_demo`` (the offline demo
    environment, entered on the stack) come from the CLI: commands never import the UI or the demo."""
    with ExitStack() as stack:
        services: Any = None
        if options.demo:  # offline: emulator, fake GitHub, in-memory keyring, throw-away config dir
            if start_demo is None:
                raise RuntimeError("pipeline-tui --demo setup needs the CLI's demo environment")
            options, services = start_demo(options, stack)
        refused = _unreplaceable(options)
        if refused is not None:  # before the token is read or the wizard opens: nothing would be saved
            return _fail(refused)
        if getattr(ns, "token_stdin", False):
            extra = _headless_demo(stack) if services is not None else {}
            if sys.stdin.isatty():  # a person at a terminal, not a pipe: say what we wait for, and hide it
                raw = read_hidden(sys.stdin, TOKEN_PROMPT)
            else:
                raw = sys.stdin.read()
            return headless(options, ns, raw, out=sys.stdout, **extra)
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            _fail("no terminal for the wizard: pass --token-stdin with --repo and --region to run headless.")
            return 2
        if launch_wizard is None:
            raise RuntimeError("the setup wizard needs the CLI's app")
        app = launch_wizard(options, services)
        code = int(app.return_code or 0)
        if code == 0 and app.return_value is None:
            return 1  # quit without saving
        if code == 0:
            print(f"Saved {options.config_path}; the token is in the OS keyring. Next: pipeline-tui provision")
        return code


def read_hidden(stdin: TextIO, prompt: str) -> str:
    """One line from the terminal on ``stdin``, not echoed (as getpass does, but on stdin itself, so the token
    comes from where the user was told to paste it). The prompt shows once echo is off; echo is restored even
    on Ctrl+C."""
    try:
        import termios
    except ImportError:  # Windows: getpass reads the console without echo
        import getpass

        return getpass.getpass(prompt, stream=sys.stderr)
    fd = stdin.fileno()
    before = termios.tcgetattr(fd)
    hidden = termios.tcgetattr(fd)
    hidden[3] &= ~termios.ECHO  # lflags
    termios.tcsetattr(fd, termios.TCSADRAIN, hidden)
    try:
        print(prompt, end="", file=sys.stderr, flush=True)
        return stdin.readline()
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, before)
        print(file=sys.stderr, flush=True)  # the Enter was not echoed either


def _fail(message: str, err: TextIO | None = None) -> int:
    from tui.domain.text import plain

    # GitHub's (or a proxy's) words can be in the message: no escape sequence reaches the terminal
    print(f"pipeline-tui setup: {plain(message)}", file=err or sys.stderr)
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
    """Validate, check GitHub and AWS, then save the config and the token. 0 on success, 1 on any failure.

    The same service as the wizard (tui.services.setup): a re-run keeps what setup does not ask for."""
    from tui.aws.session import AwsSettings
    from tui.domain.errors import PipelineTuiError
    from tui.domain.text import capped, plain
    from tui.services import setup as svc
    from tui.services import validators as v
    from tui.services.aws_identity import fetch_identity
    from tui.services.github import DEFAULT_API_URL, GitHubClient
    from tui.services.settings import resolve_aws_settings
    from tui.services.token_store import TokenStore

    err = err or sys.stderr
    path = options.config_path or _default_path()
    refused = _unreplaceable(options)
    if refused is not None:
        return _fail(refused, err)
    token = v.validate_token(raw_token)
    if not token.ok:
        return _fail(str(token.error), err)
    if token.note and raw_token.strip() != token.value:
        print(token.note, file=out)
    aws = resolve_aws_settings(options)  # flags, then the environment: setup is what saves the config
    inputs = svc.check_inputs(
        repo=ns.repo or "",
        branch=ns.branch,
        infra_buildspec=ns.infra_buildspec,
        web_buildspec=ns.web_buildspec,
        region=aws.region or _profile_region(aws.profile),
        policy_arn=ns.policy_arn or "",
        api_url=github_api_url or options.github_api_url or DEFAULT_API_URL,
    )
    if isinstance(inputs, tuple):
        flag, sentence = inputs
        return _fail(f"{flag}: {sentence}", err)
    if inputs.policy_note:
        print(inputs.policy_note, file=out)
    reused: dict[str, str | None] = {}
    for flag, value in (("--infra-project", ns.infra_project), ("--web-project", ns.web_project)):
        checked = v.validate_project_name(value) if value is not None else None
        if checked is not None and not checked.ok:
            return _fail(f"{flag}: {checked.error}", err)
        reused[flag] = checked.value if checked is not None else None
    infra, web, host = inputs.infra_buildspec, inputs.web_buildspec, inputs.host
    store = TokenStore(token_store)
    try:
        store.check_available()
        github = GitHubClient(token.value, inputs.api_url)
        check = github.check_repo(inputs.repo, inputs.branch or None, (infra, web))
        print(  # names and the commit message come from GitHub: no escape sequence reaches the terminal
            f"GitHub: {plain(check.repo)} ({'private' if check.private else 'public'}), branch {plain(check.branch)}"
            f" at {capped(check.commit_summary, 100)}; {plain(infra)} and {plain(web)} found.",
            file=out,
        )
        settings = AwsSettings(aws.profile, inputs.region, aws.endpoint_url)
        who = (identity or fetch_identity)(settings)
        print(f"AWS: account {plain(who.account_id)} as {plain(who.arn)} (region {inputs.region}).", file=out)
        name = v.validate_pipeline_name(ns.name or v.suggest_pipeline_name(inputs.repo), who.account_id)
        if not name.ok:
            return _fail(f"--name: {name.error}", err)
        from tui.aws.session import Clients
        from tui.services.buildspec_checks import report_lines

        clients = Clients(settings)
        projects = {
            flag: svc.find_build_project(clients, value, flag=flag, region=inputs.region) if value else None
            for flag, value in reused.items()
        }
        for flag, project in projects.items():
            if project is not None:
                which = "Infrastructure" if flag == "--infra-project" else "Web"
                print(f"{which} build: existing project {project.name}, reused unchanged.", file=out)
        report = svc.check_setup_buildspecs(
            check,
            projects["--infra-project"],
            projects["--web-project"],
            lambda path: github.read_file(check.repo, check.branch, path),
        )
        for line in report_lines(report):
            print(line, file=out)
        config = svc.config_from_checks(
            check,
            who,
            pipeline_name=name.value,
            github_api_url=inputs.api_url,
            github_host=host,
            infra_buildspec=infra,
            web_buildspec=web,
            infra_policy_arn=inputs.policy_arn or None,
            base=svc.previous_config(path),
            infra_project=reused["--infra-project"],
            web_project=reused["--web-project"],
            report=report,
        )
        taken = svc.names_taken(clients, config)
        if taken is not None:
            return _fail(taken, err)
        names = v.derived_names(name.value, who.account_id)
        rows = svc.created_rows(names, config)
        print("Will create: " + ", ".join(f"{label} {value}" for label, value in rows) + ".", file=out)
        print(svc.bucket_rule(names), file=out)
        svc.save_setup(config, path, store, host=host, token=token.value)
    except PipelineTuiError as exc:
        return _fail(exc.sentence, err)
    print(
        f"Saved {path}; token {v.mask_token(token.value)} stored in the OS "
        f"keyring (service pipeline-tui, user {host}).",
        file=out,
    )
    return 0


def _unreplaceable(options: Options) -> str | None:
    """One sentence when the config file is there but is no config (a TOML syntax error, a FIFO, a device, a
    symlink to another file): setup never replaces it."""
    from tui.services.config import unreplaceable

    refused = unreplaceable(options.config_path or _default_path())
    return refused.sentence if refused is not None else None


def _default_path() -> Any:
    from tui.services.config import default_config_path

    return default_config_path()


def _headless_demo(stack: ExitStack) -> dict[str, Any]:
    """For a headless --demo run: the fake GitHub API (stopped on exit) and an in-memory keyring."""
    from tui.emulator.github import FakeGitHub
    from tui.emulator.source import sample_repo_dir
    from tui.services.token_store import MemoryKeyring

    fake = stack.enter_context(FakeGitHub(files=sample_repo_dir()))
    return {"token_store": MemoryKeyring(), "github_api_url": fake.url}


def _profile_region(profile: str | None) -> str:
    """The region the profile (or boto3's chain) names, or "" when there is none."""
    import boto3
    import botocore.exceptions as bx

    try:
        return boto3.Session(profile_name=profile).region_name or ""
    except bx.BotoCoreError:
        return ""
