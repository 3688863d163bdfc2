"""The explorer (issue 24): seeded random walks through the real app from every entry, with in-memory gateways
(tests/support/explore_fakes.py), and one against the emulator. See tests/support/explorer.py for the walk and
its invariants. Before issue 24 it found `p`'s IndexError (--pipeline, --config, --demo --skip-setup) and the
wizard's Esc that exited at once.

A failure prints the seed, the entry and the steps: replay one with
``EXPLORER_SEED=<seed> pytest "tests/ui/test_explorer.py::test_walks_find_nothing[<its group>]"``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail

from tests.support import explore_fakes
from tests.support.dashboard import Env
from tests.support.explorer import explore, screen_classes
from tests.support.overview_fakes import FixedReader, fixed_overview
from tests.support.wizard import SnapGitHub, snap_identity, snap_projects
from tui.emulator.github import DEMO_TOKEN
from tui.services.aws_identity import AwsDefaults
from tui.services.config import AppConfig, save_config
from tui.services.options import Options
from tui.services.token_store import MemoryKeyring, TokenStore
from tui.ui.app import PipelineTuiApp

SEEDS = 10
FULL_STEPS = 200
#: Steps per walk. Issue 24's walks, every seed of every entry 200 steps in 90 s of CPU on a 2-core machine
#: (CI's), are .ci/run's explorer step: it runs them alone with EXPLORER_STEPS=200, fails CI when a walk finds
#: something or a group no longer reaches its screens, and sums the CPU time each walk prints (a timed test would
#: measure its neighbours too). The suite walks every seed of every entry a shorter way: the same invariants at
#: every step, about a third of the explorer's CPU (85 of the suite's 520 s at 200 steps).
STEPS = int(os.environ.get("EXPLORER_STEPS", "70"))
# Two things brought it from 97-135 s to about 76 s: the footer redraws only when its keys change
# (tui/ui/widgets/footer.py), and a walk parses each stylesheet once however often it restarts the app
# (tui.ui.textual_compat.stylesheets_parsed_once).


def _wizard_services(tmp: Path, **extra: Any) -> dict[str, Any]:
    return {
        "token_store": TokenStore(MemoryKeyring()),
        "github_api_url": "https://api.github.com",
        "github": SnapGitHub,
        "identity": snap_identity,
        "aws_defaults": lambda settings: AwsDefaults("dev", "eu-west-1", ("default", "dev")),
        "build_projects": snap_projects,
        "wizard_prefill": {"token": DEMO_TOKEN, "repo": "octo-org/website", "branch": "main", "region": "eu-west-1"},
        "provisioner": explore_fakes.FakeProvisioner(),
        "handshake_interval": 0.01,
        **extra,
    }


def entries(tmp: Path) -> dict[str, Callable[[], PipelineTuiApp]]:
    """Each entry the issue names, as a factory of a fresh app (a walk restarts it after a wanted exit)."""
    config = tmp / "config.toml"
    save_config(AppConfig(pipeline_name="demo-pipeline", repo="acme/site"), config)
    missing = tmp / "missing" / "config.toml"
    out = {"output_dir": tmp / "out"}

    def app(options: Options, kind: str = "failed", **services: Any) -> Callable[[], PipelineTuiApp]:
        return lambda: explore_fakes.app(options, kind, **(out | services))

    return {
        "wizard": app(Options(config_path=missing), "failed", **_wizard_services(tmp)),
        "setup-no-keyring": app(Options(config_path=missing), start="wizard", token_store=TokenStore(fail.Keyring())),
        "demo-skip-setup": app(Options(demo=True, pipeline="demo-pipeline", config_path=config), "failed"),
        "pipeline": app(Options(pipeline="demo-pipeline", config_path=missing), "running"),
        "config": app(Options(config_path=config), "approval"),
        "read-only": app(Options(pipeline="demo-pipeline", read_only=True, config_path=missing), "failed"),
        "overview-no-keyring": app(Options(config_path=missing), "queued", token_store=TokenStore(fail.Keyring())),
        "load-fails": app(Options(pipeline="demo-pipeline", config_path=missing), "failed", down=True),
        # `pipeline-tui overview`: the overview is the root, Enter pushes a dashboard on it
        "overview": app(
            Options(config_path=missing), "failed", start="overview", overview_reader=FixedReader(fixed_overview())
        ),
    }


def _recover(app_holder: list[Any]) -> Callable[[Any, int], None]:
    """The load-fails entry: the endpoint answers again after 40 steps."""

    def each(walk: Any, step: int) -> None:
        if step == 40:
            for gateway in app_holder:
                gateway.down = False

    return each


#: the names of entries()' factories, in its order (a test checks they agree)
ENTRIES = ["wizard", "setup-no-keyring", "demo-skip-setup", "pipeline", "config", "read-only"]
ENTRIES += ["overview-no-keyring", "load-fails", "overview"]

#: The ten walks in three groups, each one test (the groups run on any worker, in any order). Seed n walks from
#: entry ENTRIES[n % len(ENTRIES)]. A walk is not exactly repeatable (how far a worker got when a key arrives
#: varies with the machine): a group names only the screens its walks reach every time, most of them reached by
#: two of its walks, and together the groups name every screen of tui.ui (the last test checks that, without
#: walking again). A group whose walks reach more is fine; one that reaches less fails.
GROUPS: dict[str, tuple[int, ...]] = {"setup": (0, 1, 9), "dashboard": (2, 3, 4, 8), "other-entries": (5, 6, 7)}
REACHES: dict[str, set[str]] = {
    "setup": {"TokenStep", "RepoStep", "AwsStep", "ReviewStep", "PlanScreen", "ProvisioningScreen"}
    | {"HandshakeScreen", "NoKeyringScreen"},
    "dashboard": {"Dashboard", "OverviewScreen", "ConfirmModal", "ReasonModal", "HistoryScreen", "HelpScreen"}
    | {"StopModal", "ApprovalModal"},
    "other-entries": {"Dashboard", "HelpScreen", "OverviewScreen"},
}


@pytest.mark.parametrize("group", list(GROUPS))
async def test_walks_find_nothing(group: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: True)  # `o`: no browser is started by a test
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "PIPELINE_TUI_CONFIG", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    factories = entries(tmp_path)
    only = os.environ.get("EXPLORER_SEED")
    seeds = [s for s in GROUPS[group] if only is None or s == int(only)]
    reached: set[str] = set()
    for seed in seeds:
        entry = ENTRIES[seed % len(ENTRIES)]
        gateways: list[Any] = []

        def make(entry: str = entry, gateways: list[Any] = gateways) -> PipelineTuiApp:
            app = factories[entry]()
            gateways.append(app.services.pipelines_gateway)
            return app

        started, cpu = time.monotonic(), time.process_time()
        walk = await explore(make, seed, entry, STEPS, each=_recover(gateways) if entry == "load-fails" else None)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        # .ci/run sums these lines: issue 24's budget (every seed of every entry in 90 s of CPU, on CI's machine)
        print(f"\nexplorer seed {seed} ({entry}): {STEPS} steps, {cpu:.2f} s CPU ({elapsed:.1f} s wall)")
        print(f"explorer reached {seed}: {sorted(walk.reached)}")
        reached |= walk.reached
    if only is None and STEPS >= FULL_STEPS:  # what a group reaches every time is known for the full walks
        missing = REACHES[group] - reached
        assert not missing, f"the {group} walks {GROUPS[group]} no longer reach {sorted(missing)}"


def test_the_walks_reach_every_screen(tmp_path: Path) -> None:
    assert list(entries(tmp_path)) == ENTRIES
    assert sorted(seed for seeds in GROUPS.values() for seed in seeds) == list(range(SEEDS))
    assert set(REACHES) == set(GROUPS)
    missing = {cls.__name__ for cls in screen_classes()} - set().union(*REACHES.values())
    assert not missing, f"screens no walk reaches: {sorted(missing)}"


async def test_one_walk_against_the_emulator(env: Env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The same walk over real botocore and the emulator: a failed infrastructure build."""
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: True)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    name = env.seed("infra-fails")
    walk = await explore(
        lambda: env.make_app(name, config_path=tmp_path / "none.toml"),
        seed=2024,
        entry="emulator",
        steps=80,
    )
    assert "Dashboard" in walk.reached
