"""What every emulated CodePipeline operation shares: AWS's errors, lookups and pagination."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tui.aws.partitions import arn
from tui.emulator.codepipeline import engine
from tui.emulator.codepipeline.actions import Env
from tui.emulator.codepipeline.model import Execution, runtime
from tui.emulator.moto_compat import (
    CodePipeline,
    CodePipelineBackend,
    CodePipelineResponse,
    JsonRESTError,
    param,
    pipeline_arn,
    pipeline_created,
    pipeline_updated,
)

PAGE_SIZE = 100


def as_json(payload: dict[str, Any]) -> str:
    """The response body. Plain JSON (timestamps as epoch seconds) is what AWS sends, and ~10x cheaper to
    produce than moto's model-driven serializer, which matters when a UI polls."""
    return json.dumps(payload)


class Error(JsonRESTError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


def backend(r: CodePipelineResponse) -> CodePipelineBackend:
    return r.codepipeline_backend


def pipeline_named(r: CodePipelineResponse, name: str) -> CodePipeline:
    pipeline = backend(r).pipelines.get(name)
    if pipeline is None:
        raise Error(
            "PipelineNotFoundException", f"Account '{r.current_account}' does not have a pipeline with name '{name}'"
        )
    return pipeline


def env(r: CodePipelineResponse, pipeline: CodePipeline) -> Env:
    return engine.env_for(pipeline, r.current_account, r.region)


def execution_of(r: CodePipelineResponse, pipeline: CodePipeline, execution_id: str) -> Execution:
    ex = runtime(pipeline).executions.get(execution_id)
    if ex is None:
        raise Error(
            "PipelineExecutionNotFoundException",
            f"Account '{r.current_account}' does not have an execution with id '{execution_id}' "
            f"for pipeline '{pipeline.pipeline['name']}'",
        )
    return ex


def page(items: list[Any], token: str | None, size: int) -> tuple[list[Any], str | None]:
    try:
        start = int(token) if token else 0
    except ValueError:
        raise Error("InvalidNextTokenException", "The next token is not valid.") from None
    if start < 0 or start > len(items):
        raise Error("InvalidNextTokenException", "The next token is not valid.")
    end = start + size
    return items[start:end], (str(end) if end < len(items) else None)


def paged(key: str, items: list[Any], r: CodePipelineResponse, shape: Callable[[Any], Any] = lambda x: x) -> str:
    """One page of `items` under `key`, each turned into its response shape by `shape`, with `nextToken` when
    more follow (botocore's paginators follow it)."""
    chosen, token = page(items, param(r, "nextToken"), param(r, "maxResults") or PAGE_SIZE)
    out: dict[str, Any] = {key: [shape(item) for item in chosen]}
    if token:
        out["nextToken"] = token
    return as_json(out)


def trigger(r: CodePipelineResponse, kind: str) -> dict[str, str]:
    return {
        "triggerType": kind,
        "triggerDetail": arn("iam", "", r.current_account, "user/moto", partition_from=r.region),
    }


def moto_time(at: float) -> datetime:
    """An emulator time as moto keeps its own (a naive UTC datetime)."""
    return datetime.fromtimestamp(at, UTC).replace(tzinfo=None)


def epoch(moment: datetime) -> float:
    """A moto datetime (naive UTC, or aware) as epoch seconds, as the JSON protocol sends timestamps."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return round(aware.timestamp(), 3)


def metadata(pipeline: CodePipeline) -> dict[str, Any]:
    """``PipelineMetadata``: moto keeps ISO strings there, AWS sends epoch seconds."""
    return {
        "pipelineArn": pipeline_arn(pipeline),
        "created": epoch(pipeline_created(pipeline)),
        "updated": epoch(pipeline_updated(pipeline)),
    }
