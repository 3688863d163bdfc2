"""The pin guard: moto internals the emulator relies on, and the emulator's own knobs."""

from __future__ import annotations

import botocore.session
import pytest
from botocore import xform_name
from moto.codebuild.responses import CodeBuildResponse
from moto.codepipeline.responses import CodePipelineResponse
from moto.core.utils import camelcase_to_underscores, method_names_from_class
from moto.logs.responses import LogsResponse

from tui.emulator import ManualClock, RealClock, configure, moto_compat
from tui.emulator.codebuild import handlers as codebuild_handlers
from tui.emulator.codepipeline import handlers as pipeline_handlers
from tui.emulator.install import install, ticking_call_action
from tui.emulator.state import state


def test_the_demo_extra_admits_exactly_the_tested_moto_releases() -> None:
    """pyproject's pin and moto_compat.TESTED_VERSIONS name the same releases (CI tests both)."""
    import tomllib
    from pathlib import Path

    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    spec = next(d for d in project["project"]["optional-dependencies"]["demo"] if d.startswith("moto"))
    specifiers = SpecifierSet(spec.split("]", 1)[1])
    for tested in moto_compat.TESTED_VERSIONS:
        assert Version(tested) in specifiers, f"{spec} excludes tested moto {tested}"
    for untested in ("5.2.4", "5.2.7", "5.3.0", "6.0.0"):
        assert Version(untested) not in specifiers, f"{spec} admits untested moto {untested}"


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


def test_s3s_routes_are_loaded_once_for_each_custom_endpoint_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto reloads `moto.s3.urls` on each S3 request, for a MOTO_S3_CUSTOM_ENDPOINTS set later: that still
    holds, and only a changed setting reloads (moto_compat.cache_per_request_work)."""
    import moto.s3.urls

    install()
    backend = moto_compat.s3_backends[moto_compat.DEFAULT_ACCOUNT_ID]["aws"]
    monkeypatch.delenv("MOTO_S3_CUSTOM_ENDPOINTS", raising=False)
    assert backend.urls  # this read may reload: the setting may just have changed
    paths = moto.s3.urls.url_paths
    assert backend.urls and moto.s3.urls.url_paths is paths  # a reload runs the module again: a new dict
    custom = "https://s3.storage.example.test"
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", custom)
    assert custom in backend.url_bases and any(custom in url for url in backend.urls)
    monkeypatch.delenv("MOTO_S3_CUSTOM_ENDPOINTS")
    assert custom not in backend.url_bases


def test_event_input_paths_are_parsed_once_and_read_as_before() -> None:
    import jsonpath_ng.ext
    from moto.events.utils import EventTemplateParser

    install()
    assert jsonpath_ng.ext.parse("$.detail") is jsonpath_ng.ext.parse("$.detail")
    event = {"id": "1", "time": 1765000000.0, "detail-type": "X", "source": "s", "region": "eu-west-1"}
    event |= {"account": "1", "resources": ["arn"], "detail": {"a": [1]}, "ingestion-time": 0}
    paths = len(EventTemplateParser.DEFAULT_EVENT_INPUT_PATHS_MAP)
    for _ in range(2):
        hits = jsonpath_ng.ext.parse.cache_info().hits
        out = EventTemplateParser.parse(input_template="", input_paths_map={}, event=event)
        assert out["detail"] == {"a": [1]} and out["resources"] == ["arn"] and out["detail-type"] == "X"
        assert out["time"] == 1765000000.0
    assert jsonpath_ng.ext.parse.cache_info().hits - hits == paths  # moto's own parse went through the memo


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
