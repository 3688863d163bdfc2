"""Parent-side measurements: each sets up the emulator, runs a child (tests.perf.child) and returns figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

from tests.perf.host import Host

ROOT = Path(__file__).resolve().parents[2]


def child(mode: str, args: dict[str, Any] | None = None, timeout: float = 900) -> dict[str, Any]:
    """Run one measured child; its last stdout line is its JSON result."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.perf.child", mode, json.dumps(args or {})],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        env=os.environ.copy(),
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {mode} failed:\n{proc.stderr[-4000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def version(runs: int) -> dict[str, Any]:
    """`pipeline-tui --version` (the installed console script, not a shell shim) and `python -c pass`."""
    script = Path(sysconfig.get_path("scripts")) / "pipeline-tui"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]
    floor, cli = [], []
    for _ in range(runs):  # interleaved: both see the same machine load
        floor.append(_wall([sys.executable, "-c", "pass"]))
        cli.append(_wall([*command, "--version"]))
    probe = (
        "import sys; from tui.cli import main; main(['--version']); "
        "print(','.join(m for m in ('textual', 'boto3', 'botocore', 'moto') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    heavy = out.stdout.strip().splitlines()[-1] if out.stdout.strip().splitlines()[1:] else ""
    return {"cli": cli, "floor": floor, "heavy_imports": heavy, "command": " ".join(command)}


def first_frame(host: Host, runs: int) -> dict[str, Any]:
    host.reset()
    host.configure(step_seconds=1.0)
    name = host.seed()
    dash, bare, boto_early = [], [], []
    for _ in range(runs):  # interleaved
        t0 = time.time()
        bare.append(child("frame-bare")["frame"] - t0)
        t0 = time.time()
        result = child("frame-dashboard", {"url": host.url, "pipeline": name})
        dash.append(result["frame"] - t0)
        boto_early.append(bool(result["boto3_at_frame"] or result["botocore_at_frame"]))
    return {"dashboard": dash, "bare": bare, "boto3_before_frame": any(boto_early)}


def _finished_build(host: Host, lines: int) -> dict[str, Any]:
    host.reset()
    host.configure(step_seconds=1.0, log_lines_per_second=lines * 10, log_total_lines=lines)
    name = host.seed()
    host.finish(name)
    last = host.build_ids(name)[-1]
    build = host.client("codebuild").batch_get_builds(ids=[last])["builds"][0]
    return {
        "url": host.url,
        "pipeline": name,
        "stream": build["logs"]["streamName"],
        "group": build["logs"]["groupName"],
    }


def throughput(host: Host, runs: int, lines: int = 100_000) -> list[dict[str, Any]]:
    args = _finished_build(host, lines)
    return [child("throughput", args) for _ in range(runs)]


def memory(host: Host, runs: int, lines: int = 1_000_000) -> list[dict[str, Any]]:
    host.reset()
    host.configure(step_seconds=1.0)
    name = host.seed()
    host.finish(name)
    return [child("rss", {"url": host.url, "pipeline": name, "total": lines}) for _ in range(runs)]


def keys(host: Host, runs: int, rate: int = 2000) -> list[dict[str, Any]]:
    """Key latency while a build streams ``rate`` lines/s, and (baseline, same run) with no log streaming."""
    from tui.emulator.clock import RealClock

    out = []
    for _ in range(runs):
        result: dict[str, Any] = {}
        for label, lines_per_second in (("streaming", rate), ("quiet", 0)):
            host.reset()
            host.configure(
                clock=RealClock(),
                step_seconds=0.5,
                log_lines_per_second=lines_per_second,
                log_total_lines=lines_per_second * 90,
            )
            name = host.seed()
            host.start_ticker()
            args = {"url": host.url, "pipeline": name, "presses": 100, "min_lines": rate if lines_per_second else 1}
            result[label] = child("keys", args)
            host.stop_ticker()
        result["bare"] = child("keys-bare", {"presses": 100})
        out.append(result)
    return out


def freshness(host: Host, runs: int, idle_seconds: float = 75.0) -> list[dict[str, Any]]:
    from tui.emulator.clock import RealClock

    out = []
    for _ in range(runs):
        host.reset()
        host.configure(clock=RealClock(), step_seconds=1.0, log_lines_per_second=50, log_total_lines=1000)
        name = host.seed()
        host.start_ticker()
        out.append(child("fresh", {"url": host.url, "pipeline": name, "idle_seconds": idle_seconds}))
        host.stop_ticker()
    return out


def hour(host: Host, runs: int, speed: float = 60.0, minutes: int = 60) -> list[dict[str, Any]]:
    """An emulated hour at ``speed``x: a new execution every 5 emulated minutes, each build streaming."""
    from tui.emulator.clock import RealClock

    out = []
    for _ in range(runs):
        host.reset()
        clock = RealClock(speed=speed)
        host.configure(clock=clock, step_seconds=2.0, log_lines_per_second=20, log_total_lines=3000)
        name = host.seed()
        host.start_ticker()
        args = {"url": host.url, "pipeline": name, "speed": speed, "origin": clock._origin, "emulated_minutes": minutes}
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.perf.child", "hour", json.dumps(args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        pipelines = host.client("codepipeline")
        while proc.poll() is None:
            time.sleep(300 / speed)
            if proc.poll() is None:
                pipelines.start_pipeline_execution(name=name)
        stdout, stderr = proc.communicate()
        host.stop_ticker()
        if proc.returncode != 0:
            raise RuntimeError(f"child hour failed:\n{stderr[-4000:]}")
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


CAUSE_LINES = 50_000  # the failed build's whole log
CAUSE_FROM_END = 200  # its error is the 200th line from the end


def _failing_repo(echoes: int) -> Path:
    """The sample repository whose infra buildspec runs ``echoes`` more commands in post_build (which CodeBuild
    runs after a failed build phase; each logs one "Running command" line), so the error sits where wanted."""
    import shutil
    import tempfile

    from tui.emulator.source import sample_repo_dir

    root = Path(tempfile.mkdtemp(prefix="perf-cause-")) / "repo"
    shutil.copytree(sample_repo_dir(), root)
    spec = root / "infra" / "buildspec.yml"
    extra = "".join(f"      - true post_build step {i}\n" for i in range(echoes))
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("  post_build:\n    commands:\n", "  post_build:\n    commands:\n" + extra), "utf-8")
    return root


def _failed_run(host: Host, bulk: int, echoes: int) -> dict[str, Any]:
    """A finished run whose infra build failed (terraform apply), ended before the app starts; its log read back."""
    from tui.emulator.clock import ManualClock
    from tui.services.cause import find_cause
    from tui.services.logtext import clean_lines

    host.reset()
    clock = ManualClock(start=time.time() - 3600)
    host.configure(
        clock=clock,
        step_seconds=1.0,
        scenario="infra-fails",
        log_lines_per_second=bulk * 10,
        log_total_lines=bulk,
        source_dir=_failing_repo(echoes),
    )
    name = host.seed("cause")
    host.finish(name)
    clock.set(max(clock.now(), time.time()))  # the run ended a while ago, as when someone is paged
    infra = host.build_ids(name)[0]  # the failed DeployInfrastructure build (the web stage never ran)
    build = host.client("codebuild").batch_get_builds(ids=[infra])["builds"][0]
    logs, lines, token = host.client("logs"), [], None
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.get_log_events(
            logGroupName=build["logs"]["groupName"],
            logStreamName=build["logs"]["streamName"],
            startFromHead=True,
            **kwargs,
        )
        lines += [e["message"] for e in page["events"]]
        if page["nextForwardToken"] == token:
            break
        token = page["nextForwardToken"]
    lines = clean_lines(lines)
    cause = find_cause(lines)
    if build["buildStatus"] != "FAILED" or cause is None or cause.line_index is None:
        raise RuntimeError("the cause benchmark's run did not fail with a cause in its log")
    return {"pipeline": name, "total": len(lines), "index": cause.line_index, "error": cause.headline}


def cause(host: Host, runs: int) -> dict[str, Any]:
    """Launch → cause and error line on screen, 80 ± 20 ms per AWS call, on a 50,000-line failed infra log."""
    from tui.emulator import faults

    probe = _failed_run(host, 1000, 0)  # where the scripted lines fall around the error
    after = probe["total"] - probe["index"]  # the error line and the lines after it
    echoes = CAUSE_FROM_END - after
    bulk = CAUSE_LINES - (probe["total"] - 1000) - echoes
    run = _failed_run(host, bulk, echoes)
    if run["total"] != CAUSE_LINES or run["total"] - run["index"] != CAUSE_FROM_END:
        raise RuntimeError(f"the cause benchmark's log is {run['total']} lines, error at {run['index']}")
    faults.configure(latency_ms=80, jitter_ms=20)
    faults.current().call_counts.clear()
    try:
        out = []
        for _ in range(runs):
            t0 = time.time()
            result = child("cause", {"url": host.url, "pipeline": run["pipeline"], "error": run["error"]}, 120)
            out.append({k: v - t0 for k, v in result.items() if k in ("frame", "cause", "line", "both")})
            out[-1]["lines_held"] = result.get("lines_held", 0)
        calls = dict(faults.current().call_counts)
    finally:
        faults.reset()
    # (the children exit once both are on screen: the calls are those made up to then, and the back-fill's first)
    per_run = ", ".join(f"{op} {n / runs:.0f}" for op, n in sorted(calls.items(), key=lambda kv: -kv[1]))
    return {
        "runs": out,
        "lines": run["total"],
        "from_end": CAUSE_FROM_END,
        "error": run["error"],
        "calls_per_run": per_run,
    }
