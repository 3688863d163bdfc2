"""The token store against a real Secret Service (gnome-keyring in a private D-Bus session)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MISSING = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if shutil.which(tool) is None]

pytestmark = pytest.mark.skipif(
    bool(MISSING) and not os.environ.get("CI"),
    reason=f"needs {' and '.join(MISSING)} (apt-get install gnome-keyring dbus); required when CI is set",
)

SCRIPT = textwrap.dedent(
    """
    import keyring
    from tui.services.token_store import TokenStore
    token = "ghp_" + "S3cretServiceT0ken" * 2
    store = TokenStore()
    print("backend", store.backend_name())
    store.set("github.com", token)
    assert keyring.get_password("pipeline-tui", "github.com") == token
    print("masked", store.masked("github.com"))
    assert store.delete("github.com") is True
    assert store.get("github.com") is None
    print("ok")
    """
)


def test_store_read_delete_with_secret_service(tmp_path: Path) -> None:
    script = tmp_path / "check.py"
    script.write_text(SCRIPT)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS"}}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT))
    inner = (
        "echo -n pw | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null; "
        f"{sys.executable} {script}"
    )
    out = subprocess.run(
        ["dbus-run-session", "--", "bash", "-c", inner], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.splitlines()
    assert "backend keyring.backends.SecretService.Keyring" in lines
    assert "masked ghp_…0ken" in lines and lines[-1] == "ok"
    assert "S3cretServiceT0ken" not in out.stdout + out.stderr
