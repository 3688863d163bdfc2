"""The `pipeline-tui` entry point. Keep imports lazy: `--version` must not import textual or boto3."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui import __version__

if TYPE_CHECKING:
    from collections.abc import Iterator
    from contextlib import ExitStack

    from textual.app import App

    from tui.services.options import Options
    from tui.ui.wiring import AppServices

COMMANDS: dict[str, str] = {
    "setup": "Run the setup wizard (or, with --token-stdin, the same checks headless).",
    "provision": "Plan and create the pipeline and everything it needs.",
    "destroy": "Remove everything this tool created for the pipeline.",
    "status": "Print the pipeline's stages and actions once (exit 0 succeeded, 1 failed, 3 running, 4 unreadable).",
    "overview": "Every pipeline of one or more regions at a glance (a screen; --json prints one snapshot).",
    "events": "Set up (enable) or remove (disable) the EventBridge rule that pushes changes to `overview`.",
    "logs": "Print build logs: the failed or latest build's, only the failed ones, or the whole run as it goes.",
    "run": "Start a standalone build of infra, web or any CodeBuild action from the last successful run's inputs.",
    "watch": "Wait for the current execution, printing each change; on a failure, what to run next.",
    "verify": "Check the deployed site: it answers, its objects are new, CloudFront's invalidation completed.",
    "emulator": "Serve the offline AWS emulator on loopback for --endpoint-url.",
    "export": "Write the pipeline as Terraform (codepipeline.tf, with import blocks for what exists).",
    "permissions": "Print the least-privilege IAM policy you need to provision, operate or watch the pipeline.",
    "completion": "Print a shell completion script for bash, zsh or fish.",
}

# The end of every --help (gh's convention): what people type most.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "pipeline-tui                                   # the dashboard (or the setup wizard the first time)",
        "pipeline-tui --demo                            # everything offline, against the built-in emulator",
        "pipeline-tui --demo --scenario infra-fails --skip-setup",
        "pipeline-tui status --pipeline my-site",
        "pipeline-tui logs --failed",
    ),
    "setup": (
        "pipeline-tui setup",
        "gh auth token | pipeline-tui setup --token-stdin --repo acme/site --region eu-west-1",
    ),
    "provision": ("pipeline-tui provision --dry-run", "pipeline-tui provision --yes"),
    "destroy": ("pipeline-tui destroy", "pipeline-tui destroy --yes"),
    "status": (
        "pipeline-tui status",
        "pipeline-tui status --pipeline my-site --json | jq -r .execution.status",
        "pipeline-tui status --execution 0123abcd-…",
    ),
    "overview": (
        "pipeline-tui overview                          # every pipeline of the region, failing first",
        "pipeline-tui overview --region eu-west-1 --region us-east-1 --notify",
        "pipeline-tui overview --json | jq -r '.pipelines[] | select(.failing_stage) | .pipeline'",
    ),
    "events": (
        "pipeline-tui events enable                     # shows the plan, asks, then creates",
        "pipeline-tui events disable --yes",
        "pipeline-tui events status",
    ),
    "logs": (
        "pipeline-tui logs --failed                     # only the failed actions' logs",
        "pipeline-tui logs --follow                     # the whole run: infrastructure, then web",
        "pipeline-tui logs --stage DeployWebApplication > web.log",
    ),
    "run": (
        "pipeline-tui run web                           # re-deploy the site from the last successful run",
        "pipeline-tui run infra --yes --follow",
        "pipeline-tui run web --commit 1a2b3c4          # the site as it was at that commit",
        "pipeline-tui run web --execution 0123abcd      # from that execution's source and infra outputs",
        "pipeline-tui run Build/Test --pipeline other-pipeline",
    ),
    "watch": ("pipeline-tui watch --exit-status && echo deployed", "pipeline-tui watch --interval 10"),
    "verify": (
        "pipeline-tui verify && echo live",
        "pipeline-tui verify --json | jq .invalidation",
    ),
    "emulator": (
        "pipeline-tui emulator --scenario infra-fails --port 5000",
        "pipeline-tui --endpoint-url http://127.0.0.1:5000 status",
    ),
    "permissions": (
        "pipeline-tui permissions --for read-only        # what an on-call engineer needs",
        "pipeline-tui permissions --for provision --json > provision-policy.json",
    ),
    "export": (
        "pipeline-tui export terraform --dir infra/pipeline",
        "pipeline-tui export terraform --no-imports      # before the pipeline exists",
    ),
    "completion": (
        "source <(pipeline-tui completion bash)                    # in ~/.bashrc",
        "pipeline-tui completion zsh > ~/.zfunc/_pipeline-tui      # a directory on $fpath",
        "pipeline-tui completion fish > ~/.config/fish/completions/pipeline-tui.fish",
    ),
}


def _epilog(name: str, rest: str | None = None) -> str:
    examples = EXAMPLES.get(name) or (f"pipeline-tui {name}",)
    text = "examples:\n" + "\n".join(f"  $ {line}" for line in examples)
    return f"{rest}\n\n{text}" if rest else text


def _global_options(parser: argparse.ArgumentParser, *, sub: bool) -> None:
    # On subcommands the defaults are suppressed so `pipeline-tui --region X status` and
    # `pipeline-tui status --region X` both work without one overwriting the other.
    d: Any = argparse.SUPPRESS if sub else None
    g = parser.add_argument_group("global options")
    g.add_argument("--pipeline", metavar="NAME", default=d, help="the CodePipeline to open (any pipeline)")
    g.add_argument("--profile", default=d, help="AWS profile (default: AWS_PROFILE or boto3's chain)")
    g.add_argument("--region", default=d, action=_Region, help="AWS region (default: AWS_REGION or the profile's)")
    g.add_argument("--endpoint-url", default=d, help="AWS endpoint override (default: AWS_ENDPOINT_URL)")
    g.add_argument(
        "--config",
        type=Path,
        default=d,
        help="config file (default: $PIPELINE_TUI_CONFIG or the user config dir)",
    )
    g.add_argument("--github-api-url", default=d, help="GitHub API base URL (GitHub Enterprise)")
    g.add_argument("--read-only", action="store_true", default=d if sub else False, help="refuse every change to AWS")


class _Region(argparse.Action):
    """``--region``: the last one given is the region; ``overview`` reads every one given (``ns.regions``)."""

    def __call__(self, parser: Any, namespace: argparse.Namespace, values: Any, _option: Any = None) -> None:
        setattr(namespace, self.dest, values)
        namespace.regions = [*(getattr(namespace, "regions", None) or []), values]


class _ScenarioNames:
    """The emulator's scenario names for ``--scenario``'s choices, read from tui.emulator.scenarios only when
    argparse looks (the option is given, or help is shown): ``--version`` and the dashboard start without it."""

    def _names(self) -> tuple[str, ...]:
        from tui.emulator.constants import SCENARIO_NAMES

        return SCENARIO_NAMES

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """``argv``: only the subcommand named in it gets its own options imported (start-up stays fast);
    ``None`` imports them all."""
    parser = argparse.ArgumentParser(
        prog="pipeline-tui",
        description="Set up and watch a Source -> DeployInfrastructure -> DeployWebApplication CodePipeline.",
        epilog=_epilog(""),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pipeline-tui {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="run the whole product offline against the built-in emulator"
    )
    parser.add_argument(
        "--scenario",
        choices=_ScenarioNames(),
        default="happy",
        metavar="NAME",  # else add_argument itself lists the choices (to check the metavar): an import per start
        help="emulator scenario for --demo: %(choices)s (default: happy)",
    )
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="with --demo: start on the dashboard, the pipeline already set up and provisioned",
    )
    parser.add_argument(
        "--theme", metavar="NAME", help="the TUI's colour theme (default: the config's, else the last one chosen)"
    )
    _global_options(parser, sub=False)
    subs = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        sp = subs.add_parser(
            name, help=help_text, description=help_text, formatter_class=argparse.RawDescriptionHelpFormatter
        )
        _global_options(sp, sub=True)
        if argv is not None and name not in argv:
            continue
        module = _command_module(name)
        if hasattr(module, "add_arguments"):
            module.add_arguments(sp)
        sp.epilog = _epilog(name, sp.epilog)
    return parser


def _command_module(name: str) -> Any:
    return importlib.import_module(f"tui.commands.{name}")


def options_from(ns: argparse.Namespace) -> Options:
    from tui.aws.session import AwsSettings
    from tui.services.config import default_config_path
    from tui.services.options import Options

    return Options(
        aws=AwsSettings(ns.profile or None, ns.region or None, ns.endpoint_url or None),
        aws_env=AwsSettings.from_env(),
        config_path=ns.config or default_config_path(),
        pipeline=ns.pipeline,
        github_api_url=ns.github_api_url,
        read_only=bool(ns.read_only),
        demo=bool(getattr(ns, "demo", False)),
        scenario=getattr(ns, "scenario", "happy"),
        theme=getattr(ns, "theme", None),
    )


def make_app(options: Options, services: AppServices | None = None) -> App[Any]:
    """The one factory for the Textual app, used by the CLI, the tests and the screenshots. With --demo the
    wizard gets the demo's stand-ins (fake GitHub, in-memory keyring) unless the caller injected others."""
    from dataclasses import replace

    from tui.ui.app import PipelineTuiApp
    from tui.ui.wiring import AppServices

    services = services or AppServices()
    if options.demo and services.demo_wizard is None:
        from tui.demo import demo_wizard

        services = replace(services, demo_wizard=demo_wizard)
    return PipelineTuiApp(options, services)


def make_setup_app(options: Options, services: AppServices | None = None) -> App[Any]:
    """`pipeline-tui setup`: the app with the wizard alone (it exits when the wizard ends)."""
    from dataclasses import replace

    from tui.ui.wiring import AppServices

    return make_app(options, replace(services or AppServices(), start="wizard"))


EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
EXIT_BROKEN_PIPE = 141  # the reader of our output went away (`pipeline-tui status | head -1`), as for SIGPIPE


def main(argv: list[str] | None = None) -> int:
    """Every command's exit status; Ctrl+C ends with a sentence, a closed pipe with 141 and nothing more (as a
    command killed by SIGPIPE), never a traceback."""
    try:
        code = _main(argv)
        sys.stdout.flush()  # a pipe closed late fails here, not in the interpreter's last flush
        return code
    except KeyboardInterrupt:
        print("\npipeline-tui: interrupted; nothing more was done.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        import os

        # Python's advice: point stdout at devnull so the interpreter's final flush cannot fail again.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):  # stdout is not a real file (tests)
            pass
        return EXIT_BROKEN_PIPE


def _main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:  # fast path: no parser, no command modules
        print(f"pipeline-tui {__version__}")
        return 0
    parser = build_parser(args)
    ns = parser.parse_args(args)
    if ns.skip_setup and not ns.demo:
        parser.error("--skip-setup goes with --demo (on a real account, run `pipeline-tui setup` once)")
    options = options_from(ns)
    if ns.command:
        return int(_command_module(ns.command).run(options, ns, **_command_hooks(ns.command)) or 0)
    if options.theme and (unknown := _unknown_theme(options.theme)):
        print(unknown, file=sys.stderr)
        return 2
    if options.demo:
        return _run_demo(options, skip_setup=bool(ns.skip_setup))
    app = run_app(make_app(options))
    return int(app.return_code or 0)


def _unknown_theme(name: str) -> str | None:
    from textual.theme import BUILTIN_THEMES

    if name in BUILTIN_THEMES:
        return None
    return f"pipeline-tui: unknown theme {name!r}; choose one of: {', '.join(sorted(BUILTIN_THEMES))}."


def _command_hooks(name: str) -> dict[str, Any]:
    """What a command gets from above its layer: `setup` runs the wizard (the UI) and the --demo environment."""
    if name == "setup":
        return {"launch_wizard": _launch_wizard, "start_demo": _start_demo}
    if name == "completion":
        return {"parser": build_parser}
    if name == "overview":
        return {"launch_overview": _launch_overview}
    return {}


def _launch_wizard(options: Options, services: AppServices | None) -> Any:
    return run_app(make_setup_app(options, services))


def _launch_overview(options: Options, regions: list[str], *, notify: bool = False) -> Any:
    """`pipeline-tui overview` in a terminal: the app with the overview as its root screen."""
    from tui.ui.wiring import AppServices

    return run_app(make_app(options, AppServices(start="overview", regions=tuple(regions), notify=notify)))


def _start_demo(options: Options, stack: ExitStack) -> tuple[Options, AppServices]:
    from tui.emulator.moto_compat import unavailable

    if missing := unavailable("pipeline-tui --demo"):
        print(missing, file=sys.stderr)
        raise SystemExit(2)
    from tui.demo import DemoEnvironment

    demo = stack.enter_context(DemoEnvironment(options.scenario))
    return demo.start(options)


def _run_demo(options: Options, *, skip_setup: bool = False) -> int:
    from tui.emulator.moto_compat import unavailable
    from tui.services.extras import MISSING_EXIT

    missing = unavailable("pipeline-tui --demo")
    if missing:
        print(missing, file=sys.stderr)
        return MISSING_EXIT
    from tui.demo import DemoEnvironment

    with DemoEnvironment(options.scenario) as demo:
        demo_options, services = demo.start(options)
        if skip_setup:
            from tui.domain.errors import PipelineTuiError

            print(f"Setting up the demo pipeline ({options.scenario} scenario)…", file=sys.stderr, flush=True)
            try:
                demo.set_up_pipeline(demo_options)
            except PipelineTuiError as exc:
                print(f"pipeline-tui: {exc.sentence}", file=sys.stderr)
                return 3
        app = run_app(make_app(demo_options, services))
    return int(app.return_code or 0)


def run_app(app: Any) -> Any:
    """Run the app in this terminal, then stop what its screens started (the demo's fake GitHub API)."""
    try:
        app.run()
    finally:
        app.cache.close()
    return app


def entry() -> int:
    """The console script: :func:`main`, then the heap frozen for the way out. The interpreter's last garbage
    collections walk every object left (botocore's service models, the demo's moto backends): 0.72 s of the 0.8 s
    from `q` to the end of `pipeline-tui --demo`, 0.04 s frozen (everything is closed by then; exit handlers
    still run)."""
    code = main()
    import gc

    gc.freeze()
    return code


if __name__ == "__main__":
    sys.exit(entry())
