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
from tui.ui.services import AppServices

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

    base = fakes.services(kind, output_dir=output_dir)
    return replace(base, pipelines_gateway=FlakyPipelines(kind, fakes.history(), down=down), **extra)


def app(options: Options, kind: str = "failed", *, down: bool = False, **extra: Any) -> PipelineTuiApp:
    return PipelineTuiApp(options, services(kind, down=down, **extra))
