"""After a whole wizard run the token is in the keyring only: not in any file under the config/data dirs,
not in stdout/stderr, not in a screenshot, not in the wizard's state repr or its notifications."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pilot import on_screen, settle
from tests.support.wizard import SIZE, WizardEnv, fill, press_next
from tui.aws.session import AwsSettings
from tui.emulator.github import DEMO_TOKEN
from tui.services.config import default_config_path
from tui.services.options import Options
from tui.ui.screens.wizard.repo_step import RepoStep
from tui.ui.textual_compat import notifications


async def test_token_never_leaves_the_keyring(
    wizard_env: WizardEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    dirs = {name: tmp_path / name for name in ("config", "data", "cache", "state")}
    for name, path in dirs.items():
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    shots = tmp_path / "shots"
    shots.mkdir()
    options = Options(aws=AwsSettings(region="eu-west-1"), config_path=default_config_path())
    assert str(options.config_path).startswith(str(dirs["config"]))
    app = wizard_env.app(options=options)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await fill(pilot, token=f'"{DEMO_TOKEN}"')
        app.save_screenshot("token.svg", str(shots))
        await press_next(pilot)
        await fill(pilot, repo="octo-org/website")
        for name in ("repo", "aws", "review"):
            app.save_screenshot(f"{name}.svg", str(shots))
            state_repr = repr(app.screen.state)
            assert DEMO_TOKEN not in state_repr
            await press_next(pilot)
            assert name == "review" or not on_screen(pilot, RepoStep)
        toasts = " ".join(str(n.message) for n in notifications(app))
    assert app.return_code == 0
    assert wizard_env.stored() == DEMO_TOKEN  # it was stored: the checks below are meaningful
    assert options.config_path.exists()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len([p for p in files if p.suffix == ".svg"]) == 4
    for path in files:
        assert DEMO_TOKEN.encode() not in path.read_bytes(), path
        assert DEMO_TOKEN[4:].encode() not in path.read_bytes(), path
    out, err = capfd.readouterr()
    assert DEMO_TOKEN not in out + err and DEMO_TOKEN not in toasts
