"""`install()`: put the emulator's handlers on moto's response classes (both mock_aws and the server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.emulator import connections, crashes, faults, moto_compat, protocols, s3_policy, s3_tags
from tui.emulator.clock import Clock
from tui.emulator.codebuild import handlers as codebuild_handlers
from tui.emulator.codepipeline import engine
from tui.emulator.codepipeline import handlers as pipeline_handlers
from tui.emulator.iam import managed as iam_managed
from tui.emulator.moto_compat import BaseResponse, CodeBuildResponse, CodePipelineResponse, LogsResponse
from tui.emulator.state import LOCK, EmulatorState, state

# Requests to these services first bring the engine up to the clock's present.
TICKING_CLASSES: tuple[type[BaseResponse], ...] = (CodePipelineResponse, CodeBuildResponse, LogsResponse)
HANDLERS: dict[type[BaseResponse], dict[str, Callable[..., Any]]] = {
    CodePipelineResponse: pipeline_handlers.HANDLERS,
    CodeBuildResponse: codebuild_handlers.HANDLERS,
}

_installed = False


def ticking_call_action(self: BaseResponse) -> Any:
    """moto's dispatch, after the engine has caught up with the clock; one lock for all threads (the injected
    latency is waited before it: it stands for the network, not for AWS's own work)."""
    with faults.waited_first(self.boto3_service_name), LOCK:
        engine.tick()
        # Looked up at call time so hooks placed on BaseResponse later (faults) still apply.
        return BaseResponse.call_action(self)


def _operation(response: BaseResponse) -> str:
    try:
        return moto_compat.action_of(response) or ""
    except Exception:  # a request moto cannot name: the crash file still says which service
        return ""


def _guard_dispatch() -> None:
    """Every call moto dispatches answers: a handler's exception becomes a 500 naming its crash file."""
    dispatch = BaseResponse.call_action

    def call_action(self: BaseResponse) -> Any:
        return crashes.answered(
            lambda: dispatch(self),
            service=self.boto3_service_name,
            operation=lambda: _operation(self),  # named only when a crash is written
            headers=self.headers,
            body=self.body,
        )

    BaseResponse.call_action = call_action  # type: ignore[method-assign]


def install(
    *, scenario: str | None = None, step_seconds: float | None = None, clock: Clock | None = None
) -> EmulatorState:
    """Register the emulator with moto (idempotent) and optionally set state knobs; returns the state.

    Call before the first request. Also registers the connections services and fault injection.
    """
    global _installed
    with LOCK:
        connections.register()
        faults.register()
        protocols.register()
        s3_policy.register()
        s3_tags.register()
        iam_managed.register()
        if not _installed:
            moto_compat.cache_per_request_work()
            _guard_dispatch()
            for cls, handlers in HANDLERS.items():
                for name, handler in handlers.items():
                    setattr(cls, name, handler)
            for cls in TICKING_CLASSES:
                cls.call_action = ticking_call_action  # type: ignore[method-assign]
            _installed = True
        st = state()
        if scenario is not None:
            st.scenario = scenario
        if step_seconds is not None:
            st.step_seconds = step_seconds
        if clock is not None:
            st.clock = clock
        return st
