"""Write the SVG screenshots under screenshots/: `python scripts/screenshots.py [name ...]`.

Each ``shot_<name>(out_dir)`` function writes one or more SVGs; append new ones (dashboard, wizard ...).
Look at them as PNG: ``rsvg-convert -o /tmp/x.png screenshots/x.svg``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
SIZE = (100, 36)

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _save(app: Any, path: Path, steps: Callable[[Any], Awaitable[None]], size: tuple[int, int] = SIZE) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            app.save_screenshot(path.name, str(path.parent))

    asyncio.run(run())
    print(f"wrote {path.relative_to(ROOT)}")


# --- setup wizard -------------------------------------------------------------------------------


def shot_wizard_token(out: Path) -> None:
    from tests.support.wizard import snapshot_app
    from tui.services.token_store import SERVICE_NAME, MemoryKeyring

    async def steps(pilot: Any) -> None:
        from tests.support.pilot import settle

        await settle(pilot)
        await pilot.click("#token-replace")
        await settle(pilot)
        await pilot.click("#token-input")
        await pilot.press(*"ghp_pasted-token")
        await pilot.click("#wizard-next")
        await settle(pilot)

    keyring = MemoryKeyring()
    keyring.set_password(SERVICE_NAME, "github.com", "ghp_" + "k" * 32 + "abcd")
    _save(snapshot_app(keyring), out / "wizard-token.svg", steps)


def shot_wizard_review(out: Path) -> None:
    from tests.support.pilot import settle
    from tests.support.wizard import fill, press_next, snapshot_app
    from tui.emulator.github import DEMO_TOKEN

    async def steps(pilot: Any) -> None:
        await settle(pilot)
        await fill(pilot, token=DEMO_TOKEN)
        await press_next(pilot)
        await fill(pilot, repo="https://github.com/octo-org/website")
        await press_next(pilot)
        await press_next(pilot)

    _save(snapshot_app(), out / "wizard-review.svg", steps)


# --- dashboard (against the emulator served in-process, on a ManualClock) -------------------------


def _dashboard(
    out: Path,
    name: str,
    scenario: str,
    ready: Callable[[Any], bool],
    step: float = 6.0,
    size: tuple[int, int] = (140, 40),
    then: Callable[[Any, Any], Awaitable[None]] | None = None,
) -> None:
    import os

    from tests.support.dashboard import Env, advance_until, emulator_clock
    from tui.emulator.install import install
    from tui.emulator.server import reset_emulator, start_in_process

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    clock = emulator_clock()
    install(clock=clock, step_seconds=step)
    handle = start_in_process(scenario=scenario, step_seconds=step)
    install(clock=clock, step_seconds=step)
    env = Env(handle, clock)
    reset_emulator()
    try:
        app = env.make_app(env.seed(scenario, name="acme-site"))

        async def run() -> None:
            async with app.run_test(size=size) as pilot:
                await advance_until(pilot, clock, lambda: ready(app.screen), step=step)
                if then is not None:
                    await then(pilot, clock)
                await pilot.pause()
                app.save_screenshot(name, str(out))

        asyncio.run(run())
        print(f"wrote {(out / name).relative_to(ROOT)}")
    finally:
        handle.stop()


def shot_dashboard_running(out: Path) -> None:
    def ready(screen: Any) -> bool:
        build = next((b for b in getattr(screen, "builds", {}).values() if b.current_phase == "BUILD"), None)
        pane_lines = len(getattr(screen.query_one("#dash-logs"), "lines", [])) if build else 0
        return build is not None and not build.is_complete and pane_lines > 10

    _dashboard(out, "dashboard-running.svg", "happy", ready)


def shot_dashboard_failed(out: Path) -> None:
    def ready(screen: Any) -> bool:
        snap = getattr(screen, "snapshot", None)
        pane = screen.query_one("#dash-logs")
        return bool(snap and snap.first_failure and pane.done)

    _dashboard(out, "dashboard-failed.svg", "infra-fails", ready)


def shot_dashboard_failed_80x24(out: Path) -> None:
    """The same failure in an 80x24 terminal: the cause is readable without a key press."""

    def ready(screen: Any) -> bool:
        snap = getattr(screen, "snapshot", None)
        return bool(snap and snap.first_failure and screen.query_one("#dash-logs").done and screen.causes)

    _dashboard(out, "dashboard-failed-80x24.svg", "infra-fails", ready, size=(80, 24))


def shot_dashboard_standalone(out: Path) -> None:
    """After a good run, `b` on the web action and `y`: the build runs alone, as its own node in the tree."""
    import os
    import tempfile

    os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="shots-state-")  # the record of standalone builds

    def succeeded(screen: Any) -> bool:
        snap = getattr(screen, "snapshot", None)
        return bool(snap and snap.execution and snap.execution.status.value == "Succeeded")

    async def build_standalone(pilot: Any, clock: Any) -> None:
        from tests.support.dashboard import advance_until
        from tests.support.pilot import wait_for
        from tui.ui.widgets.pipeline_tree import PipelineTree

        screen = pilot.app.screen
        tree = screen.query_one(PipelineTree)
        tree.move_cursor(tree.node_for(("action", "DeployWebApplication", "DeployWeb")))
        await pilot.pause()
        await pilot.press("b")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmModal")
        await pilot.press("y")
        await advance_until(
            pilot,
            clock,
            lambda: (
                any((b := screen.builds.get(i)) and b.is_complete for i in screen.standalone.records)
                and screen.query_one("#dash-logs").done
            ),
            step=6.0,
        )

    _dashboard(out, "dashboard-standalone.svg", "happy", succeeded, then=build_standalone)


def shot_no_keyring(out: Path) -> None:
    """No config and no OS keyring (a jump host): the overview of the region, saying why, instead of a dead end."""
    from keyring.backends.fail import Keyring as NoKeyring

    from tests.support.dashboard_fakes import services
    from tests.support.pilot import settle, wait_for
    from tui.cli import make_app
    from tui.services.options import Options

    async def steps(pilot: Any) -> None:
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "overview", None) is not None)
        await settle(pilot)

    app = make_app(Options(config_path=out / "missing" / "config.toml"), services("failed", token_store=NoKeyring()))
    _save(app, out / "no-keyring.svg", steps)


# --- provisioning -------------------------------------------------------------------------------------


def shot_overview(out: Path) -> None:
    """Every pipeline at a glance, at 80x24 (one region) and 160x45 (two regions), from the fixed overview of
    the snapshot tests (tests/support/overview_fakes.py: rows built from GetPipelineState-shaped answers)."""
    from tests.support.overview_fakes import FixedReader, fixed_overview
    from tests.support.pilot import settle, wait_for
    from tui.cli import make_app
    from tui.services.options import Options
    from tui.ui.wiring import AppServices

    async def steps(pilot: Any) -> None:
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "overview", None) is not None)
        await settle(pilot)

    for size, regions in (((80, 24), ("us-east-1",)), ((160, 45), ("us-east-1", "eu-west-1"))):
        services = AppServices(start="overview", overview_reader=FixedReader(fixed_overview(regions)))
        app = make_app(Options(), services)
        _save(app, out / f"overview-{size[0]}x{size[1]}.svg", steps, size=size)


def shot_plan(out: Path) -> None:
    """The plan screen over a setup that was edited by hand: three updates with their fields."""
    from tests.support.pilot import settle
    from tests.support.provision import Offline, demo_config, drift, plan_app

    with Offline() as env:
        config = demo_config()
        drift(env.clients, config)
        _save(plan_app(env.clients, config), out / "plan.svg", settle)


def shot_plan_refused(out: Path) -> None:
    """A same-named role of another tool: refused ('!'), Apply disabled, and the adopt confirmation."""
    import json

    import boto3

    from tests.support.pilot import settle, wait_for
    from tests.support.provision import Offline, demo_config, plan_app
    from tui.ui.modals import ConfirmModal

    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]}  # fmt: skip

    async def confirm(pilot: Any) -> None:
        await settle(pilot)
        await pilot.click(".plan-adopt")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmModal))

    with Offline() as env:
        boto3.client("iam").create_role(
            RoleName="shop-pipeline", AssumeRolePolicyDocument=json.dumps(trust), Tags=[{"Key": "owner", "Value": "x"}]
        )
        _save(plan_app(env.clients, demo_config()), out / "plan-refused.svg", settle)
        _save(plan_app(env.clients, demo_config()), out / "plan-adopt.svg", confirm)


def shot_provisioning(out: Path) -> None:
    """The provisioning screen mid-run: six steps done, the web build role being created, the rest pending."""
    import threading

    from tests.support.pilot import on_screen, settle, wait_for
    from tests.support.provision import Offline, demo_config, plan_app
    from tui.ui.screens.provision.apply import ProvisioningScreen

    reached, release = threading.Event(), threading.Event()
    roles: list[str] = []

    def hold_second_role(call: str) -> None:
        if call == "iam.CreateRole":
            roles.append(call)
            if len(roles) == 2:
                reached.set()
                release.wait(30)

    async def steps(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: on_screen(pilot, ProvisioningScreen))
        await wait_for(pilot, reached.is_set)
        await pilot.pause(0.1)

    with Offline() as env:
        env.before = hold_second_role
        try:
            _save(plan_app(env.clients, demo_config()), out / "provisioning.svg", steps)
        finally:
            release.set()


def main(argv: list[str]) -> int:
    shots = {name.removeprefix("shot_"): fn for name, fn in globals().items() if name.startswith("shot_")}
    wanted = argv or sorted(shots)
    unknown = [name for name in wanted if name not in shots]
    if unknown:
        print(f"unknown screenshot(s): {', '.join(unknown)}; known: {', '.join(sorted(shots))}", file=sys.stderr)
        return 2
    OUT.mkdir(exist_ok=True)
    for name in wanted:
        shots[name](OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
