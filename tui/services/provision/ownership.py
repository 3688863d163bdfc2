"""Never touch what isn't ours: a same-named resource that belongs to another pipeline or another tool is
refused, not adopted, unless the user names it (`provision --adopt NAME`, or the TUI's confirmation).

An adopted resource carries our tags plus `pipeline-tui:adopted=true`, so that destroy keeps it (and its
contents) unless told to delete it too (`destroy --include-adopted`), saying how many objects would go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from tui.aws.resources.base import MANAGED_BY, MANAGED_BY_VALUE, PIPELINE_TAG, is_ours
from tui.domain.errors import PipelineTuiError
from tui.domain.text import capped
from tui.services.provision.desired import Desired

ADOPTED_TAG = "pipeline-tui:adopted"


class NotOurs(PipelineTuiError):
    """A resource with the desired name exists and belongs to someone else."""


def owner(tags: Mapping[str, str] | None) -> str:
    """Who a resource that is not ours belongs to, as the plan says it."""
    tags = dict(tags or {})
    if tags.get(MANAGED_BY) == MANAGED_BY_VALUE and tags.get(PIPELINE_TAG):
        return f"it belongs to pipeline {capped(tags[PIPELINE_TAG], 60)!r}"
    if not tags:
        return "it carries no tags"
    shown = ", ".join(f"{k}={v}" for k, v in sorted(tags.items()))
    return f"tagged {capped(shown, 60)}"


def other_pipeline(tags: Mapping[str, str] | None, pipeline: str) -> str | None:
    """The name of the other pipeline-tui pipeline these tags belong to, or None."""
    tags = tags or {}
    if tags.get(MANAGED_BY) == MANAGED_BY_VALUE and tags.get(PIPELINE_TAG) not in (None, pipeline):
        return tags[PIPELINE_TAG]
    return None


def is_adopted(actual: Mapping[str, Any] | None) -> bool:
    return bool(actual) and (actual.get("tags") or {}).get(ADOPTED_TAG) == "true"  # type: ignore[union-attr]


RESUMED_NOTE = "created by an interrupted run (recorded on this machine): completing it"


def ours_by_record(actual: Mapping[str, Any] | None, intended: bool) -> bool:
    """An untagged resource whose create this machine recorded before an interrupt: ours. One with any tags
    is not (a create of ours tags it in the same call, or at once after)."""
    return intended and actual is not None and not actual.get("tags")


def claim(
    desired: Desired,
    actual: Mapping[str, Any] | None,
    pipeline: str,
    adopt: frozenset[str],
    *,
    intended: bool = False,
) -> Desired:
    """The desired state to converge to, or NotOurs. A resource we do not tag (a reused connection or
    CodeBuild project) is no claim: it is referenced, never adopted. ``intended``: the record holds an intent
    for it (see :func:`ours_by_record`)."""
    if actual is None or not desired.spec.get("tags"):
        return desired
    tags = actual.get("tags")
    if is_ours(tags, pipeline):
        return _with_adopted_tag(desired) if is_adopted(actual) else desired
    if ours_by_record(actual, intended):
        return replace(desired, note=RESUMED_NOTE)
    if desired.name not in adopt:
        raise NotOurs(
            f"{desired.kind} {desired.name} exists and is not this pipeline's ({owner(tags)}): refusing to change it.",
            hint=f"Pick another pipeline name, or pass --adopt {desired.name} to take it over.",
        )
    return replace(_with_adopted_tag(desired), note=f"adopting it as you asked ({owner(tags)})")


def _with_adopted_tag(desired: Desired) -> Desired:
    return replace(desired, spec={**desired.spec, "tags": {**desired.spec["tags"], ADOPTED_TAG: "true"}})
