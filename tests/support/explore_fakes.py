"""In-memory gateways for the navigation tests and the explorer: the dashboard fakes, plus a pipeline read that
can fail (the endpoint is down) and then answer again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import dashboard_fakes as fakes
from tui.domain.errors import Unreachable
from tui.domain.models import PipelineSnapshot
from tui.services.options import Options
from tui.ui.app import PipelineTuiApp
from tui.ui.wiring import AppServices

DOWN = "Could not connect to the endpoint URL: http://127.0.0.1:9/ (connection refused)."


@dataclass
class FlakyPipelines(fakes.FakePipelines):
    """``down``: every read fails as an unreachable endpoint does, until the test brings it back."""

    down: bool = False

    def snapshot(self, name: str, execution_id: str | None = None) -> PipelineSnapshot:
        if self.down:
            raise Unreachable(DOWN)
        return super().snapshot(name, execution_id)


def services(kind: str = "failed", *, down: bool = False, output_dir: Path | None = None, **extra: Any) -> AppServices:
    from dataclasses import replace

    from tests.support.overview_fakes import ListedReader

    base = fakes.services(kind, output_dir=output_dir)
    pipelines = FlakyPipelines(kind, fakes.history(), down=down)
    reader = ListedReader(pipelines, base.now())
    return replace(base, pipelines_gateway=pipelines, **({"overview_reader": reader} | extra))


def app(options: Options, kind: str = "failed", *, down: bool = False, **extra: Any) -> PipelineTuiApp:
    return PipelineTuiApp(options, services(kind, down=down, **extra))


class AnyConfig:
    """Equal to every config: the one fake provisioner serves whatever config the wizard saves."""

    connection_arn = None

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"


class FakeProvisioner:
    """Plan, apply and handshake in memory: three resources, a connection that is AVAILABLE at the third check."""

    def __init__(self, config: Any = None, *, fail_apply: bool = False) -> None:
        self.config = config if config is not None else AnyConfig()
        self.adopt: frozenset[str] = frozenset()
        self.connection_arn: str | None = CONNECTION
        self.clients = None
        self.checks = 0
        self.fail_apply = fail_apply

    def plan(self) -> Any:
        from tui.domain.plan import ChangeAction, Plan, ResourceChange

        kinds = (("bucket", "site-artifacts"), ("role", "site-pipeline"), ("pipeline", "site"))
        return Plan(tuple(ResourceChange(k, n, ChangeAction.CREATE) for k, n in kinds), "site", "us-east-1")

    def steps(self) -> list[tuple[str, str]]:
        return [("bucket", "site-artifacts"), ("role", "site-pipeline"), ("pipeline", "site")]

    def apply(self, *, on_event: Any = None, cancel: Any = None) -> Any:
        from tui.domain.plan import ChangeAction, RunResult, StepEvent, StepStatus

        events: list[StepEvent] = []
        for index, (kind, name) in enumerate(self.steps()):
            if cancel is not None and cancel.is_set():
                return RunResult(events, cancelled=True)
            failed = self.fail_apply and index == 1
            status = StepStatus.FAILED if failed else StepStatus.DONE
            event = StepEvent(
                index, kind, name, status, ChangeAction.CREATE, "AccessDenied: iam:CreateRole" if failed else None
            )
            events.append(event)
            if on_event is not None:
                on_event(StepEvent(index, kind, name, StepStatus.RUNNING))
                on_event(event)
            if failed:
                self.fail_apply = False  # Resume works
                return RunResult(events)
        return RunResult(events, connection_arn=CONNECTION)

    def connection_status(self, arn: str | None = None) -> str | None:
        self.checks += 1
        return "AVAILABLE" if self.checks % 3 == 0 else "PENDING"

    def release_after_handshake(self) -> str | None:
        return None
