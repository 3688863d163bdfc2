"""The emulator's own failures: written down in full, answered in one line that names the file.

A handler that raises (a moto release that renamed an internal, a bug of ours) must not surface as a bare 500 that
the app blames on AWS. Every AWS call the emulator serves runs inside `answered()`: the traceback goes to a file
(`crash_dir()`, owner-only), and the client gets a 500 in its own protocol whose code, `EMULATOR_FAILURE`, AWS
never sends, so tui/aws/errors.py can say that the demo's own emulator failed, not AWS.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.domain.errors import EMULATOR_FAILURE, emulator_failure_message
from tui.emulator import protocols

__all__ = ["EMULATOR_FAILURE", "answered", "crash_dir", "write_crash"]


def crash_dir() -> Path:
    """Where the emulator writes its failures (PIPELINE_TUI_EMULATOR_CRASH_DIR, else the temp dir)."""
    configured = os.environ.get("PIPELINE_TUI_EMULATOR_CRASH_DIR")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "pipeline-tui-emulator"


def write_crash(exc: BaseException, service: str, operation: str) -> Path:
    """The full error, with the request it answered, in a new owner-only file; returns its path."""
    folder = crash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**9}.txt"
    text = f"{service} {operation}\n\n" + "".join(traceback.format_exception(exc))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # the mode bits are ignored on Windows
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return path


def answered(call: Callable[[], Any], *, service: str, operation: Callable[[], str], headers: Any, body: Any) -> Any:
    """`call()`'s answer; an exception that moto would let through becomes a 500 naming the crash file."""
    from werkzeug.exceptions import HTTPException

    try:
        return call()
    except HTTPException:  # moto's own AWS errors (JsonRESTError is one): moto answers them
        raise
    except Exception as exc:
        if type(exc).__module__.startswith("botocore"):  # what botocore raises under mock_aws (a dropped call)
            raise
        path = write_crash(exc, service, operation())
        first = traceback.format_exception_only(exc)[-1].strip()
        protocol = protocols.request_protocol(headers or {}, body)
        return protocols.error_response(protocol, 500, EMULATOR_FAILURE, emulator_failure_message(first, path))
