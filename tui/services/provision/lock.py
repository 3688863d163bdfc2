"""One provision or destroy at a time per pipeline (account, region): a lock file created with O_CREAT|O_EXCL
(atomic on every platform, no fcntl) next to the pipeline's record, holding who took it (pid, host, time,
command). A second run is refused with a sentence naming the holder. A lock left by a run that died on this
host (its pid is gone) is taken over; on Windows, where probing a pid is not safe, the sentence names the
file to delete instead.

Issue 22: two concurrent `provision` runs created two connections, and one survived the first `destroy`.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from tui.domain.errors import PipelineTuiError
from tui.services.provision.record import now_text, record_dir, record_stem


class ProvisionLocked(PipelineTuiError):
    """Another run holds this pipeline's lock."""


def lock_path(pipeline: str, account: str, region: str, directory: Path | None = None) -> Path:
    return (directory or record_dir()) / f"{record_stem(pipeline, account, region)}.lock"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs on this host; True when it cannot be told (Windows: os.kill would end it)."""
    if sys.platform == "win32" or pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, as another user
        return True
    return True


def _stale(holder: dict[str, Any]) -> bool:
    pid = holder.get("pid")
    return holder.get("host") == socket.gethostname() and isinstance(pid, int) and not _alive(pid)


def describe(holder: dict[str, Any]) -> str:
    if not holder:
        return "another pipeline-tui run (its lock file cannot be read)"
    command = f"`{holder['command']}` " if isinstance(holder.get("command"), str) else ""
    return (
        f"another pipeline-tui run ({command}pid {holder.get('pid', '?')} on {holder.get('host', '?')}, "
        f"since {holder.get('time', '?')})"
    )


@contextmanager
def pipeline_lock(
    pipeline: str, account: str, region: str, *, command: str = "provision", directory: Path | None = None
) -> Iterator[Path]:
    """Hold the pipeline's lock for the ``with`` block; ProvisionLocked when another run holds it."""
    path = lock_path(pipeline, account, region, directory)
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "time": now_text(), "command": command}
    for _attempt in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            current = _read(path)
            if _attempt == 0 and _stale(current):
                with suppress(FileNotFoundError):
                    path.unlink()
                continue
            raise ProvisionLocked(
                f"Pipeline {pipeline} is locked by {describe(current)}: refusing to run a second "
                f"{command} at the same time.",
                hint=f"Wait for it to finish; if it is no longer running, delete {path}.",
            ) from None
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(holder, out)
        break
    try:
        yield path
    finally:
        if _read(path).get("pid") == os.getpid():
            with suppress(FileNotFoundError):
                path.unlink()
