"""The pin guard: moto internals the emulator relies on, and the emulator's own knobs."""

from __future__ import annotations

import importlib.metadata
import inspect

import botocore.session
import pytest
from botocore import xform_name
from moto.codebuild.models import CodeBuildBackend
from moto.codebuild.responses import CodeBuildResponse
from moto.codepipeline.models import CodePipeline
from moto.codepipeline.responses import CodePipelineResponse
from moto.core.utils import camelcase_to_underscores, method_names_from_class
from moto.logs.models import LogGroup, LogsBackend, LogStream
from moto.logs.responses import LogsResponse

from tui.emulator import ManualClock, RealClock, configure
from tui.emulator.codebuild import handlers as codebuild_handlers
from tui.emulator.codepipeline import handlers as pipeline_handlers
from tui.emulator.install import install, ticking_call_action
from tui.emulator.state import state


def test_moto_is_the_pinned_minor_version() -> None:
    version = importlib.metadata.version("moto")
    assert version.startswith("5.2."), f"the emulator patches moto 5.2 internals; found moto {version}"


@pytest.mark.parametrize(
    ("cls", "service", "handlers"),
    [
        (CodePipelineResponse, "codepipeline", pipeline_handlers.HANDLERS),
        (CodeBuildResponse, "codebuild", codebuild_handlers.HANDLERS),
    ],
)
def test_handlers_are_what_moto_dispatches_to(cls: type, service: str, handlers: dict) -> None:
    install()
    model = botocore.session.get_session().get_service_model(service)
    operations = {camelcase_to_underscores(op): op for op in model.operation_names}
    dispatchable = method_names_from_class(cls)
    for name, handler in handlers.items():
        assert name in operations, f"{name} is not a {service} operation"
        assert xform_name(operations[name]) == name
        assert name in dispatchable
        assert getattr(cls, name) is handler


def test_requests_tick_the_engine() -> None:
    install()
    for cls in (CodePipelineResponse, CodeBuildResponse, LogsResponse):
        assert cls.call_action is ticking_call_action


def test_moto_internals_the_engine_uses() -> None:
    assert list(inspect.signature(CodePipeline.__init__).parameters) == ["self", "account_id", "region", "pipeline"]
    for attr in ("pipeline", "tags", "metadata", "validate_tags", "add_default_values"):
        assert hasattr(CodePipeline, attr) or attr in ("pipeline", "tags")
    backend = CodeBuildBackend("us-east-1", "123456789012")
    for attr in ("codebuild_projects", "build_history", "build_metadata_history"):
        assert hasattr(backend, attr)
    assert hasattr(LogsBackend, "ensure_log_group") and hasattr(LogsBackend, "ensure_log_stream")
    assert hasattr(LogGroup, "create_log_stream") and hasattr(LogStream, "put_log_events")
    assert "codepipeline_backend" in dir(CodePipelineResponse)
    assert "codebuild_backend" in dir(CodeBuildResponse)


def test_install_is_idempotent_and_sets_knobs() -> None:
    clock = ManualClock(1_700_000_000)
    try:
        st = install(scenario="slow", step_seconds=0.5, clock=clock)
        assert install() is st
        assert (st.scenario, st.step_seconds, st.clock) == ("slow", 0.5, clock)
        assert st.now() == 1_700_000_000
    finally:
        configure()


def test_scenario_names_are_checked() -> None:
    st = configure()
    with pytest.raises(ValueError, match="unknown scenario"):
        st.scenario = "nope"
    assert st.scenario == "happy"


def test_clocks() -> None:
    clock = ManualClock(100.0)
    assert clock.advance(2.5) == 102.5
    with pytest.raises(ValueError):
        clock.advance(-1)
    fast = RealClock(speed=10)
    assert fast.now() >= fast._origin
    with pytest.raises(ValueError):
        RealClock(speed=0)


def test_state_is_process_wide() -> None:
    st = configure(scenario="web-fails", step_seconds=3)
    try:
        assert state() is st
        st.fired.add("web:BUILD")
        st.scenario = "web-fails"
        assert st.fired == set()  # switching (even to the same scenario) re-arms one-shot failures
    finally:
        configure()
