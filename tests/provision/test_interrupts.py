"""Interrupt-safe provisioning (issue 22, Why 3 and Why 8's concurrent runs): an interrupt right after ANY write
of a full apply leaves a state that the next `provision` completes and `destroy` removes; concurrent runs for
one pipeline are refused, naming the holder."""

from __future__ import annotations

import io
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.aws import ACCOUNT, REGION
from tests.support.provision import WRITE_PREFIXES, inventory, shared_session
from tui.cli import main
from tui.domain.plan import ChangeAction
from tui.services.config import AppConfig, save_config
from tui.services.provision.lock import ProvisionLocked, lock_path, pipeline_lock
from tui.services.provision.record import Record
from tui.services.provision.runner import Provisioner

EMPTY = {"buckets": [], "roles": [], "log_groups": [], "connections": [], "projects": [], "pipelines": []}


class AfterWrite:
    """An ``after-call`` hook: once the ``n``-th write call has returned, ``fire`` (KeyboardInterrupt)."""

    def __init__(self, n: int, fire: Any = None) -> None:
        self.n, self.seen, self.fired = n, 0, False
        self.fire = fire
        self.call = ""

    def __call__(self, event_name: str, **_: Any) -> None:
        operation = event_name.split(".")[2]
        if not operation.startswith(WRITE_PREFIXES) or self.fired:
            return
        self.seen += 1
        if self.seen == self.n:
            self.fired, self.call = True, event_name.split(".", 1)[1]
            if self.fire is None:
                raise KeyboardInterrupt
            self.fire()


class Dispatch:
    """Registered on the session before this test's clients exist (a client copies the session's handlers
    when it is made); forwards to the current hook."""

    def __init__(self) -> None:
        self.current: AfterWrite | None = None

    def __call__(self, event_name: str, **kwargs: Any) -> None:
        if self.current is not None:
            self.current(event_name, **kwargs)


@pytest.fixture
def dispatch() -> Iterator[Dispatch]:
    session, forward = shared_session(), Dispatch()
    session.events.register("after-call", forward)
    try:
        yield forward
    finally:
        session.events.unregister("after-call", forward)


@contextmanager
def hooked(dispatch: Dispatch, hook: AfterWrite) -> Iterator[AfterWrite]:
    dispatch.current = hook
    try:
        yield hook
    finally:
        dispatch.current = None


def _record(config: AppConfig) -> Record:
    return Record(config.pipeline_name, ACCOUNT, REGION)


def test_an_interrupt_after_every_write_is_completed_by_provision_and_removed_by_destroy(
    dispatch: Dispatch, clients: Any, config: AppConfig
) -> None:
    interrupted_at = []
    n = 0
    while True:
        n += 1
        with hooked(dispatch, AfterWrite(n)) as hook:
            try:
                Provisioner(clients, config).apply()
            except KeyboardInterrupt:
                pass
        if not hook.fired:
            break  # the full apply has fewer than n writes: every write was interrupted once
        interrupted_at.append(hook.call)
        resumed = Provisioner(clients, config)
        plan = resumed.plan()
        assert not plan.refused, (hook.call, [c.note for c in plan.refused])
        result = resumed.apply()
        assert result.ok, (hook.call, result.failed)
        gone = Provisioner(clients, config)
        doomed = gone.plan_destroy()
        assert all(c.action is ChangeAction.DELETE for c in doomed.changes), (hook.call, doomed.changes)
        assert gone.destroy(doomed).ok, hook.call
        assert inventory() == EMPTY, hook.call
        assert not _record(config).path.exists(), hook.call  # nothing left to resume
        assert not lock_path(config.pipeline_name, ACCOUNT, REGION).exists()
    assert "s3.CreateBucket" in interrupted_at and "iam.CreateRole" in interrupted_at
    assert len(interrupted_at) == n - 1 > 20


def test_an_interrupt_after_every_write_of_destroy_is_finished_by_the_next_destroy(
    dispatch: Dispatch, clients: Any, config: AppConfig
) -> None:
    n = 0
    while True:
        n += 1
        assert Provisioner(clients, config).apply().ok
        with hooked(dispatch, AfterWrite(n)) as hook:
            try:
                Provisioner(clients, config).destroy()
            except KeyboardInterrupt:
                pass
        if not hook.fired:
            break
        again = Provisioner(clients, config)
        doomed = again.plan_destroy()
        assert all(c.action is ChangeAction.DELETE for c in doomed.changes), (hook.call, doomed.changes)
        assert again.destroy(doomed).ok, hook.call
        assert inventory() == EMPTY, hook.call
    assert inventory() == EMPTY and n > 10


def test_ctrl_c_right_after_create_bucket_is_no_refusal(dispatch: Dispatch, clients: Any, config: AppConfig) -> None:
    """Issue 22, Why 3: the untagged bucket was "not this pipeline's": only --adopt got out, and then destroy
    kept it forever."""
    with hooked(dispatch, AfterWrite(1)) as hook, pytest.raises(KeyboardInterrupt):
        Provisioner(clients, config).apply()
    assert hook.call == "s3.CreateBucket"
    bucket = f"shop-artifacts-{ACCOUNT}"
    assert bucket in [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]]  # created, never tagged
    assert _record(config).intended("bucket", bucket)
    if sys.platform != "win32":
        assert stat.S_IMODE(_record(config).path.stat().st_mode) == 0o600
    plan = Provisioner(clients, config).plan()
    change = plan.change("bucket", bucket)
    assert change is not None and change.action is ChangeAction.UPDATE and "interrupted run" in change.note
    assert Provisioner(clients, config).apply().ok
    assert not _record(config).intended("bucket", bucket)
    assert Provisioner(clients, config).destroy().ok
    assert inventory() == EMPTY


def test_an_untagged_bucket_nobody_recorded_is_still_refused(clients: Any, config: AppConfig) -> None:
    """The record is no licence: without an intent, an untagged same-named bucket stays someone else's."""
    boto3.client("s3").create_bucket(Bucket=f"shop-artifacts-{ACCOUNT}")
    plan = Provisioner(clients, config).plan()
    assert [c.name for c in plan.refused] == [f"shop-artifacts-{ACCOUNT}"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM to oneself is POSIX")
def test_sigterm_during_provision_then_provision_and_destroy(
    dispatch: Dispatch,
    clients: Any,
    tmp_path: Path,
    config: AppConfig,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import tui.commands.provision as provision_command

    path = tmp_path / "config.toml"
    save_config(config, path)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    made = provision_command.provisioner
    monkeypatch.setattr(provision_command, "provisioner", lambda o, c, _=None, **kw: made(o, c, clients, **kw))
    with hooked(dispatch, AfterWrite(3, fire=lambda: os.kill(os.getpid(), signal.SIGTERM))) as hook:
        rc = main(["provision", "--yes"])
    assert hook.fired and rc == 130
    assert "run `pipeline-tui provision` again to finish" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # the handler is the run's alone
    assert main(["provision", "--yes"]) == 0
    assert main(["destroy", "--yes"]) == 0
    assert inventory() == EMPTY


def test_a_second_run_is_refused_naming_the_holder(
    clients: Any, config: AppConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    save_config(config, path)
    monkeypatch.setenv("PIPELINE_TUI_CONFIG", str(path))
    with pipeline_lock("shop", ACCOUNT, REGION, command="provision"):
        with pytest.raises(ProvisionLocked) as refused:
            Provisioner(clients, config).apply()
        assert f"pid {os.getpid()} on {socket.gethostname()}" in refused.value.sentence
        assert "`provision`" in refused.value.sentence
        assert main(["provision", "--yes"]) == 1
        assert f"pid {os.getpid()}" in capsys.readouterr().err
        with pytest.raises(ProvisionLocked):
            Provisioner(clients, config).destroy()
    assert inventory() == EMPTY  # the refused runs created nothing
    assert Provisioner(clients, config).apply().ok  # released
    assert len(boto3.client("codestar-connections").list_connections()["Connections"]) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="a dead pid is only probed on POSIX")
def test_a_lock_left_by_a_dead_run_on_this_host_is_taken_over(clients: Any, config: AppConfig) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    path = lock_path("shop", ACCOUNT, REGION)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'{{"pid": {int(dead.stdout)}, "host": "{socket.gethostname()}", "time": "then"}}')
    assert Provisioner(clients, config).apply().ok
    assert not path.exists()


def test_destroy_removes_every_connection_of_ours_with_the_name(clients: Any, config: AppConfig) -> None:
    """Issue 22, Why 8: two concurrent provision runs created two connections; one survived the first destroy."""
    assert Provisioner(clients, config).apply().ok
    tags = [{"Key": "managed-by", "Value": "pipeline-tui"}, {"Key": "pipeline-tui:pipeline", "Value": "shop"}]
    conns = boto3.client("codestar-connections")
    conns.create_connection(ProviderType="GitHub", ConnectionName="shop-github", Tags=tags)
    foreign = conns.create_connection(ProviderType="GitHub", ConnectionName="shop-github")["ConnectionArn"]
    assert len(conns.list_connections()["Connections"]) == 3
    assert Provisioner(clients, config).destroy().ok
    assert [c["ConnectionArn"] for c in conns.list_connections()["Connections"]] == [foreign]
