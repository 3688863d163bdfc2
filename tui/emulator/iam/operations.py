"""CodePipeline's UpdatePipeline with the role check moto lacks (CreatePipeline's is in codepipeline.handlers)."""

from __future__ import annotations

from typing import Any

from moto.codepipeline.responses import CodePipelineResponse
from moto.core.exceptions import JsonRESTError

from tui.emulator.iam import trust

_moto_update_pipeline = CodePipelineResponse.update_pipeline


def update_pipeline(self: CodePipelineResponse) -> Any:
    pipeline: dict[str, Any] = self._get_param("pipeline") or {}
    role = str(pipeline.get("roleArn", ""))
    if not trust.pipeline_trusted(self.current_account, self.region, role, str(pipeline.get("name", ""))):
        raise JsonRESTError("InvalidStructureException", trust.pipeline_refusal(role))
    return _moto_update_pipeline(self)
