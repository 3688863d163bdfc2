"""Install figures as a new machine gets them: fresh venvs, no pip cache, sizes over an empty venv.

- plain install (`pip install .`, to watch real pipelines): venv size and time;
- demo install (`pip install '.[demo]'`): venv size and time;
- clone → venv → `pip install -e '.[demo]'` → the first screen of `pipeline-tui --demo` in an 80×24 tmux pane.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.perf.measure import ROOT

_FIRST_SCREEN = "GitHub token"  # the wizard's first step
_ENV = {**os.environ, "PIP_NO_CACHE_DIR": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def _mb(path: Path) -> float:
    """Disk usage in MB, as ``du -sm`` counts it (allocated blocks, not apparent sizes)."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_blocks * 512
            except OSError:
                pass
    return total / 1_000_000


def _biggest(venv: Path, count: int = 6) -> list[tuple[str, float]]:
    """The largest distributions in a venv's site-packages (a package with its .dist-info, .libs and stubs),
    biggest first: what a budget miss is made of."""
    sizes: dict[str, float] = {}
    for site in venv.glob("lib/python*/site-packages"):
        for entry in site.iterdir():
            name = entry.name.split("-")[0].split(".")[0].lstrip("_").lower()
            if name in ("pip", "setuptools", "pkg_resources", "distutils") or not name:
                continue
            size = _mb(entry) if entry.is_dir() else os.lstat(entry).st_blocks * 512 / 1_000_000
            sizes[name] = sizes.get(name, 0.0) + size
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:count]


def _venv(path: Path) -> Path:
    subprocess.run(["python3", "-m", "venv", str(path)], check=True, env=_ENV)
    return path / "bin" / "pip"


def _timed_install(pip: Path, *args: str, cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run([str(pip), "install", "-q", *args], check=True, cwd=cwd, env=_ENV, capture_output=True)
    return time.perf_counter() - start


def _first_screen(clone: Path, session: str, timeout: float = 180) -> None:
    subprocess.run(
        ["tmux", "new", "-d", "-s", session, "-x", "80", "-y", "24", f"cd {clone} && .venv/bin/pipeline-tui --demo"],
        check=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pane = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True)
        if _FIRST_SCREEN in pane.stdout:
            return
        time.sleep(0.1)
    raise RuntimeError(f"the demo's first screen did not show within {timeout:.0f} s")


def install() -> dict[str, Any]:
    if shutil.which("tmux") is None:
        raise RuntimeError("the install section needs tmux (apt-get install tmux)")
    work = Path(tempfile.mkdtemp(prefix="perf-install-"))
    session = f"perf-install-{os.getpid()}"
    try:
        _venv(work / "empty")
        base = _mb(work / "empty")
        plain_s = _timed_install(_venv(work / "plain"), str(ROOT))
        demo_s = _timed_install(_venv(work / "demo"), f"{ROOT}[demo]")
        start = time.perf_counter()
        subprocess.run(["git", "clone", "-q", str(ROOT), str(work / "clone")], check=True)
        _timed_install(_venv(work / "clone" / ".venv"), "-e", ".[demo]", cwd=work / "clone")
        _first_screen(work / "clone", session)
        first_s = time.perf_counter() - start
        return {
            "plain_mb": _mb(work / "plain") - base,
            "plain_biggest": _biggest(work / "plain"),
            "plain_s": plain_s,
            "demo_mb": _mb(work / "demo") - base,
            "demo_s": demo_s,
            "first_screen_s": first_s,
        }
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
