"""Shared helpers for the resource gateways: our tags, error codes, JSON policy normalisation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Protocol, TypeVar, cast

from tui.domain.text import remote_tree

MANAGED_BY = "managed-by"
MANAGED_BY_VALUE = "pipeline-tui"
PIPELINE_TAG = "pipeline-tui:pipeline"


def our_tags(pipeline: str) -> dict[str, str]:
    return {MANAGED_BY: MANAGED_BY_VALUE, PIPELINE_TAG: pipeline}


def is_ours(tags: Mapping[str, str] | None, pipeline: str) -> bool:
    tags = tags or {}
    return tags.get(MANAGED_BY) == MANAGED_BY_VALUE and tags.get(PIPELINE_TAG) == pipeline


def tags_from_list(items: Iterable[Mapping[str, Any]] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    return {str(t[key]): str(t.get(value, "")) for t in items or ()}


def tags_to_list(tags: Mapping[str, str], key: str = "Key", value: str = "Value") -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in sorted(tags.items())]


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))


def status_code(exc: BaseException) -> int:
    response = getattr(exc, "response", None) or {}
    return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def policy_dict(document: Any) -> Any:
    """IAM returns policies as dicts (botocore decodes them) or as (URL-encoded) JSON text."""
    if isinstance(document, str):
        from urllib.parse import unquote

        text = document if document.lstrip().startswith("{") else unquote(document)
        return json.loads(text)
    return document


class Gateway(Protocol):
    """What the provisioning engine needs from each resource kind."""

    kind: str

    def read(self, name: str) -> dict[str, Any] | None: ...

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]: ...

    def update(
        self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]
    ) -> None: ...

    def delete(self, name: str) -> None: ...


G = TypeVar("G")


class _RemoteAnswers:
    """A resource gateway whose every answer (names, ARNs, tags, policies, statuses) holds Remote text."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            return remote_tree(value(*args, **kwargs))

        return call


def remote_answers(gateway: G) -> G:
    """``gateway``, its answers cleaned at the door: what AWS says about a resource goes into names, policies and
    screens (an ARN read back is split into its partition, region and account)."""
    return cast(G, _RemoteAnswers(gateway))
