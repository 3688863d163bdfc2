"""The flood: every string of every AWS answer carries escape sequences, controls, bidi overrides, zero-width
characters (tests/support/hostile.py INVISIBLE) and Rich markup (LITERAL), and a manual approval is approved with
the 2026-12-05 report's summary (OSC 52, OSC 0, CSI 2J). The dashboard, its dialogs, the history, the help, the
overview and the companions are driven over it; every segment Textual renders (what it would write to the
terminal) is checked: no control, ESC or format character, and the markup drawn as written.

Every screen class of tui.ui must be visited here: a new screen fails `test_every_screen_is_flooded` until a test
draws it and names it in FLOODS (each test checks, at its end, that it drew the screens FLOODS names for it)."""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from collections.abc import Iterator
from typing import Any

import pytest
from textual.screen import Screen

from tests.support.commands import clock_the_commands
from tests.support.dashboard import Env, advance_until, loaded_dashboard, refresh
from tests.support.emulator import advance_until as emulated_until
from tests.support.hostile import (
    FORBIDDEN,
    LITERAL,
    REPORTED,
    approve,
    concealing,
    dirt,
    flooded_aws,
    gated_pipeline,
    literal_count,
)
from tests.support.pilot import click, settle, wait_for
from tui.ui.screens.dashboard.screen import Dashboard
from tui.ui.textual_compat import screen_strips
from tui.ui.widgets.cause_panel import CausePanel
from tui.ui.widgets.pipeline_tree import PipelineTree

SIZE = (140, 40)
APPROVAL = REPORTED
VISITED: set[type] = set()  # the screens the running test has drawn under the flood

#: the screens each test draws under the flood; together, every screen of tui.ui. The tests run apart (any
#: worker, any order), so each proves its own row and the union is checked without running them again.
FLOODS: dict[str, set[str]] = {
    "test_the_dashboard_and_its_screens_draw_no_hostile_character": {
        "ApprovalModal",
        "ConfirmModal",
        "Dashboard",
        "HelpScreen",
        "HistoryScreen",
        "ReasonModal",
        "StopModal",
    },
    "test_the_start_overview_draws_no_hostile_character": {"OverviewScreen"},
    "test_the_overview_draws_no_hostile_character": {"Dashboard", "OverviewScreen"},
    "test_the_setup_wizard_draws_no_hostile_character": {"AwsStep", "RepoStep", "ReviewStep", "TokenStep"},
    "test_the_no_keyring_screen_draws_no_hostile_character": {"NoKeyringScreen"},
    "test_provisioning_draws_no_hostile_character": {"HandshakeScreen", "PlanScreen", "ProvisioningScreen"},
}


@pytest.fixture(autouse=True)
def _drew_its_screens(request: pytest.FixtureRequest) -> Iterator[None]:
    VISITED.clear()
    yield
    drawn = {c.__name__ for c in VISITED}
    wanted = FLOODS.get(request.node.originalname, set())
    assert wanted <= drawn, f"screens FLOODS names but the test never drew: {sorted(wanted - drawn)}"


async def until(pilot: Any, condition: Any) -> Any:
    """wait_for, with room for a loaded machine: the flood renders every screen with longer text."""
    return await wait_for(pilot, condition, timeout=30)


def _check(app: Any, *, free_text: bool = True) -> None:
    VISITED.add(type(app.screen))
    assert dirt(app) == []
    if free_text:
        rows = ["".join(s.text for s in row) for row in screen_strips(app.screen)]
        assert literal_count(app) > 0, "\n".join(rows)


def _node(screen: Dashboard, stage: str, action: str | None = None) -> tuple[str, ...]:
    tree = screen.query_one(PipelineTree)
    for key in tree._by_key:
        kind = key[0] == ("action" if action else "stage")
        if kind and stage in key[1] and (action is None or action in key[2]):
            return key
    raise AssertionError(f"no node for {stage}/{action}")


async def _visit(pilot: Any, key: str, screen_type: type, *, free_text: bool = True) -> None:
    """Press ``key``, check the screen it opens, close it with Esc."""
    before = pilot.app.screen
    await pilot.press(key)
    await until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
    await settle(pilot)
    _check(pilot.app, free_text=free_text)
    await pilot.press("escape")
    await until(pilot, lambda: pilot.app.screen is before)


async def test_the_dashboard_and_its_screens_draw_no_hostile_character(env: Env) -> None:
    from tui.ui.help import HelpScreen
    from tui.ui.modals import ApprovalModal, ConfirmModal, ReasonModal, StopModal
    from tui.ui.screens.dashboard.history import HistoryScreen

    name = gated_pipeline(env)
    approve(env, name, APPROVAL + " " + LITERAL)
    with flooded_aws() as calls:
        app = env.make_app(name)
        async with app.run_test(size=SIZE) as pilot:
            screen = await loaded_dashboard(pilot)
            await advance_until(pilot, env.clock, lambda: screen.snapshot and screen.snapshot.first_failure)
            await refresh(pilot)
            await loaded_dashboard(pilot)
            # the failed action is selected on open: tree, header, details, cause panel and log, no key pressed
            assert screen.query_one(PipelineTree).selected_ref.key == _node(screen, "DeployInfrastructure", "Terraform")
            assert screen.query_one(CausePanel).display
            _check(app)
            assert {"GetPipelineState", "ListPipelineExecutions", "BatchGetBuilds", "GetLogEvents"} <= set(calls)
            tree = screen.query_one(PipelineTree)
            tree.select_key(_node(screen, "Approve", "Gate"))
            await until(pilot, lambda: tree.selected_ref.stage == LITERAL + "Approve" + LITERAL)
            await loaded_dashboard(pilot)
            _check(app)
            assert "LGTM" in "".join(s.text for row in screen_strips(app.screen) for s in row)
            screen.query_one(PipelineTree).select_key(_node(screen, "DeployInfrastructure", "Terraform"))
            await loaded_dashboard(pilot)
            await _visit(pilot, "r", ConfirmModal)
            await _visit(pilot, "t", ReasonModal)
            await _visit(pilot, "h", HistoryScreen)
            await _visit(pilot, "question_mark", HelpScreen, free_text=False)
            # a new run waits at the approval: its dialog, and the stop dialog
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
            await settle(pilot)  # drawn over the dashboard (as _visit waits): the dialog alone was checked once
            _check(app)
            await pilot.press("y")
            await settle(pilot)
            await advance_until(
                pilot, env.clock, lambda: any(a.awaiting_approval for s in screen.snapshot.stages for a in s.actions)
            )
            screen.query_one(PipelineTree).select_key(_node(screen, "Approve", "Gate"))
            await loaded_dashboard(pilot)
            await _visit(pilot, "a", ApprovalModal)
            await _visit(pilot, "x", StopModal)


async def test_the_start_overview_draws_no_hostile_character(env: Env) -> None:
    """No pipeline known (no --pipeline, no config): the app starts on the overview of the region."""
    from tui.ui.screens.overview import OverviewScreen

    name = env.seed("happy")
    with flooded_aws():
        app = env.make_app(None, config_path=None)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, OverviewScreen)
            await until(pilot, lambda: screen.overview is not None and screen.overview.rows)
            await settle(pilot)
            _check(app, free_text=False)  # its columns cut long text: the dirt check, not the whole literal
            assert screen.overview is not None and any(name in r.name for r in screen.overview.rows)


async def test_the_overview_draws_no_hostile_character(env: Env) -> None:
    """`pipeline-tui overview`: every pipeline's row (names, commits, the failing action's error, who started it)
    and the dashboard it opens."""
    from tui.cli import make_app
    from tui.ui.screens.overview import OverviewScreen
    from tui.ui.wiring import AppServices

    name = env.seed("infra-fails")
    cp = env.client("codepipeline")
    emulated_until(env.clock, lambda: cp.get_pipeline_state(name=name)["stageStates"][1].get("latestExecution"))
    with flooded_aws():
        app = make_app(env.options, AppServices(start="overview", now=env.now))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, OverviewScreen)
            await until(pilot, lambda: screen.overview is not None and screen.overview.rows)
            await settle(pilot)
            _check(app, free_text=False)  # its columns cut long text: the dirt check, not the whole literal
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, Dashboard))
            await settle(pilot)
            _check(app)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


COMPANIONS = {  # argv after the command name -> does it print remote free text (the failure's words)?
    "status": True,
    "status --json": True,
    "watch": True,
    "logs": True,
    "logs --failed": True,
    "verify": False,  # the failed run deployed no site: one sentence of ours
    "verify --json": False,
}


@pytest.mark.parametrize("command", list(COMPANIONS))
def test_the_companions_print_no_hostile_character(env: Env, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """On a terminal (where `logs` keeps colour): only SGR colour, never SGR 8, no other escape or control."""
    from tui.cli import main

    name = gated_pipeline(env)
    approve(env, name, APPROVAL + " " + LITERAL)
    cp = env.client("codepipeline")
    for _ in range(200):
        if cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"][0]["status"] == "Failed":
            break
        env.clock.advance(2)
    clock_the_commands(monkeypatch, env.clock)  # their waits move the emulator's clock, not the test's
    out, err = _Terminal(), _Terminal()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    word, *rest = command.split()
    with flooded_aws() as calls:
        main(["--endpoint-url", env.handle.endpoint_url, "--region", "us-east-1", word, "--pipeline", name, *rest])
    assert calls  # the command read AWS under the flood
    printed = out.getvalue() + err.getvalue()
    sequences = re.findall(r"\x1b\[[0-9;:]*m", printed)
    assert not any(concealing(s) for s in sequences), sequences
    without_colour = re.sub(r"\x1b\[[0-9;:]*m", "", printed)
    assert not FORBIDDEN.search(without_colour.replace("\n", "")), repr(printed)
    assert "APPROVAL-TITLE" not in printed and "Y3VybC" not in printed
    if COMPANIONS[command]:
        assert LITERAL in printed  # markup printed as written


async def test_the_setup_wizard_draws_no_hostile_character(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repository's latest commit message and every AWS answer (caller identity, the account's CodeBuild
    projects, picked for reuse) are hostile; the review step shows the commit as written: no escape, and
    `[bold red]` not swallowed (the 2026-12-05 report)."""
    from moto import mock_aws
    from textual.widgets import Select

    from tests.support.wizard import INFRA_BARE, REPO_FILES, WizardEnv, existing_project, fill, press_next, to_repo_step
    from tui.emulator.github import DEMO_TOKEN, FakeCommit, FakeGitHub, demo_repo
    from tui.ui.screens.wizard.aws_step import AwsStep
    from tui.ui.screens.wizard.repo_step import RepoStep
    from tui.ui.screens.wizard.review import ReviewStep

    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "PIPELINE_TUI_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    repo = demo_repo(files=REPO_FILES)
    repo.branches["main"] = FakeCommit("3f9c2a1d7be04c5e8a6f1b2c3d4e5f60718293a4", f"{APPROVAL} {LITERAL}\n\nbody")
    with FakeGitHub([repo], {DEMO_TOKEN: "repo"}) as fake, mock_aws():
        existing_project("old-infra", INFRA_BARE)
        existing_project("old-web", "web/buildspec.yml")
        with flooded_aws():
            app = WizardEnv(fake, tmp_path).app()
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                _check(app, free_text=False)  # the token step: nothing remote yet
                await to_repo_step(pilot)
                await fill(pilot, repo=repo.full_name)
                await press_next(pilot)
                await until(pilot, lambda: isinstance(app.screen, AwsStep))
                await settle(pilot)
                await until(pilot, lambda: app.screen.state.projects)
                await settle(pilot)
                _check(app)  # the caller's identity and account
                for which, downs in (("infra", 1), ("web", 2)):  # reuse both: their names, images, roles
                    select = app.screen.query_one(f"#{which}-project", Select)
                    select.focus()
                    await pilot.press("enter")
                    await until(pilot, lambda select=select: select.expanded)
                    await settle(pilot)
                    _check(app)  # the open list: every project's name
                    await pilot.press(*["down"] * downs, "enter")
                    await until(pilot, lambda select=select: not select.expanded)
                await settle(pilot)
                _check(app)
                await press_next(pilot)
                await until(pilot, lambda: isinstance(app.screen, ReviewStep))
                await settle(pilot)
                _check(app)
                shown = "\n".join("".join(s.text for s in row) for row in screen_strips(app.screen))
                assert f"LGTMFAKE {LITERAL}" in shown
                VISITED.add(RepoStep)  # passed through on the way (its result line is the check just made)


async def test_the_no_keyring_screen_draws_no_hostile_character(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Static instructions: checked all the same, so that the screen is covered if it ever shows remote text."""
    from keyring.backends import fail
    from moto import mock_aws

    from tests.support.wizard import WizardEnv
    from tui.emulator.github import DEMO_TOKEN, FakeGitHub, demo_repo
    from tui.services.token_store import TokenStore
    from tui.ui.screens.wizard.no_keyring import NoKeyringScreen

    monkeypatch.delenv("PIPELINE_TUI_CONFIG", raising=False)
    with FakeGitHub([demo_repo()], {DEMO_TOKEN: "repo"}) as fake, mock_aws(), flooded_aws():
        app = WizardEnv(fake, tmp_path).app(token_store=TokenStore(fail.Keyring()))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, NoKeyringScreen))
            await settle(pilot)
            _check(app, free_text=False)


async def test_provisioning_draws_no_hostile_character(fake_aws_credentials: None) -> None:
    """Plan, apply and the GitHub handshake (the connection's ARN as AWS answered
    it), under moto in-process: the emulator's server is not involved. The account id STS answers goes into
    every name shown (it did reach the screen raw)."""
    from botocore.config import Config
    from moto import mock_aws

    from tests.support.provision import ProvisionApp, new_call_log, shared_session
    from tui.aws.session import AwsSettings, Clients
    from tui.emulator import faults
    from tui.emulator.install import install
    from tui.services.config import AppConfig
    from tui.ui.screens.provision.apply import ProvisioningScreen
    from tui.ui.screens.provision.handshake import HandshakeScreen
    from tui.ui.screens.provision.plan import PlanScreen

    install()
    faults.reset()
    config = AppConfig(
        pipeline_name="shop",
        repo="acme/shop",
        branch="main",
        infra_buildspec="infra/buildspec.yml",
        web_buildspec="web/buildspec.yml",
        aws_region="us-east-1",
        log_retention_days=14,
    )
    with mock_aws(), flooded_aws():
        new_call_log()
        clients = Clients(
            AwsSettings(region="us-east-1"), config=Config(retries={"max_attempts": 1}), session=shared_session()
        )
        app = ProvisionApp(
            lambda: PlanScreen(config), clients=clients, handshake_interval=0.01, on_provisioned=lambda *_: None
        )
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, PlanScreen)
            _check(app, free_text=False)  # nothing exists yet: every name in the plan is ours
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, ProvisioningScreen))
            screen = app.screen
            await until(pilot, lambda: screen.result is not None)
            assert screen.result.ok, str(screen.query_one("#prov-error").render())
            _check(app, free_text=False)  # every name is ours (the account id: 12 digits as STS gives it)
            await click(pilot, "#prov-continue")
            await until(pilot, lambda: isinstance(app.screen, HandshakeScreen))
            handshake = app.screen
            await until(pilot, lambda: handshake.checks >= 1)
            _check(app)  # the connection's ARN
        # planned again over what exists: every tag, policy and setting read back is hostile
        app = ProvisionApp(lambda: PlanScreen(config), clients=clients, on_provisioned=lambda *_: None)
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen.plan is not None)
            await settle(pilot)
            _check(app)  # the refusals quote the tags AWS answered


def _screen_classes() -> set[type]:
    import tui.ui

    for module in pkgutil.walk_packages(tui.ui.__path__, "tui.ui."):
        importlib.import_module(module.name)

    def below(cls: type) -> set[type]:
        return {s for sub in cls.__subclasses__() for s in (sub, *below(sub))}

    ours = {c for c in below(Screen) if c.__module__.startswith("tui.")}
    return {c for c in ours if not any(issubclass(other, c) and other is not c for other in ours)}  # the leaves


def test_every_screen_is_flooded() -> None:
    """Each concrete screen is drawn by a flood test (FLOODS, which each test proves for itself)."""
    tests = {name for name, value in globals().items() if name.startswith("test_") and callable(value)}
    assert set(FLOODS) <= tests, f"FLOODS names no such test: {sorted(set(FLOODS) - tests)}"
    drawn = set().union(*FLOODS.values())
    missing = {c.__name__ for c in _screen_classes()} - drawn
    assert missing == set(), f"screens never drawn under the flood: {sorted(missing)}"
