"""What the UI (and the services it hands them to) may call on each AWS gateway, as Protocols.

The real gateways (:class:`tui.aws.pipelines.PipelineGateway`, :class:`tui.aws.builds.BuildGateway`,
:class:`tui.aws.logs.LogGateway`, :class:`tui.aws.artifacts.ArtifactStore`) satisfy them (checked by mypy at the end
of this module); the tests' in-memory fakes (tests/support/dashboard_fakes.py) are checked against them by
tests/unit/test_gateway_protocols.py. Importing this module loads no boto3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tui.aws.artifacts import Expiration
    from tui.domain.models import Build, Execution, LogPage, PipelineSnapshot, PipelineSummary

__all__ = ["ArtifactsGateway", "BuildsGateway", "LogsGateway", "PipelinesGateway"]


class PipelinesGateway(Protocol):
    """CodePipeline: reading a pipeline (snapshot, history, declaration) and acting on it."""

    region: str

    def list_pipelines(self) -> list[PipelineSummary]: ...

    def list_executions(self, name: str, max_results: int = 25) -> list[Execution]: ...

    def snapshot(self, name: str, execution_id: str | None = None) -> PipelineSnapshot: ...

    def declaration(self, name: str) -> dict[str, Any]: ...

    def action_executions(
        self, name: str, max_results: int = 300, *, execution_id: str | None = None
    ) -> list[dict[str, Any]]: ...

    def start(self, name: str) -> str: ...

    def retry_stage(self, name: str, stage: str, execution_id: str, *, all_actions: bool = False) -> str: ...

    def stop(self, name: str, execution_id: str, *, abandon: bool, reason: str = "") -> None: ...

    def set_transition(self, name: str, stage: str, *, enabled: bool, reason: str = "") -> None: ...

    def put_approval(self, name: str, stage: str, action: str, token: str, *, approved: bool, summary: str) -> None: ...


class BuildsGateway(Protocol):
    """CodeBuild: the builds the pipeline ran, and the standalone builds started and stopped from the dashboard."""

    def get_builds(self, build_ids: list[str]) -> dict[str, Build]: ...

    def start_build(self, project: str, overrides: dict[str, Any]) -> Build: ...

    def stop_build(self, build_id: str) -> Build: ...

    def project_artifacts_type(self, project: str) -> str | None: ...


class LogsGateway(Protocol):
    """CloudWatch Logs: a build's log stream, page by page or its last lines."""

    def page(self, group: str, stream: str, token: str | None, *, limit: int = 10000) -> LogPage: ...

    def last_lines(self, group: str, stream: str, *, limit: int = 2000) -> LogPage: ...

    def read_ahead(self, group: str, stream: str, *, limit: int = 2000) -> None: ...


class ArtifactsGateway(Protocol):
    """S3: whether a build's input artifacts are still in the artifact bucket (before a standalone build)."""

    def exists(self, bucket: str, key: str) -> bool | None: ...

    def expiration(self, bucket: str, key: str) -> Expiration | None: ...


if TYPE_CHECKING:
    from tui.aws.artifacts import ArtifactStore
    from tui.aws.builds import BuildGateway
    from tui.aws.logs import LogGateway
    from tui.aws.pipelines import PipelineGateway

    def _the_real_gateways_conform(
        pipelines: PipelineGateway, builds: BuildGateway, logs: LogGateway, artifacts: ArtifactStore
    ) -> tuple[PipelinesGateway, BuildsGateway, LogsGateway, ArtifactsGateway]:
        return pipelines, builds, logs, artifacts
