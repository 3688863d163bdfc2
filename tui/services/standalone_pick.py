"""Which execution a standalone build (:mod:`tui.services.standalone`) takes its inputs from when the user picks
one: ``run --execution ID``, ``run --commit SHA``, or the dashboard's ``b`` while it shows a past execution.

- An execution id is CodePipeline's (botocore's ``PipelineExecutionId`` pattern: a lowercase UUID). Its first 8
  characters, as ``status`` and the dashboard's history show them, do when no other recent execution starts so.
- A commit is 7 or more hexadecimal characters of the revision the source action reported. It is looked up in
  ``ListPipelineExecutions``' ``sourceRevisions``: for a CodeStarSourceConnection or CodeCommit source the
  ``revisionId`` is the commit id, the Source action's ``CommitId`` output variable and its action execution's
  ``externalExecutionId`` (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
  Several executions can have run one commit: the newest that has what the action needs is taken.

Prefixes and commits are looked up among the newest :data:`SCAN` executions (3 pages of 100: one execution a
day for most of a year). An older execution is still found by its full id: ``ListActionExecutions`` filtered by
``pipelineExecutionId`` reads one execution's actions whatever its age.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.domain.errors import InvalidRequest, NotFound

if TYPE_CHECKING:
    from tui.aws.gateways import PipelinesGateway

SCAN = 300
#: botocore's PipelineExecutionId pattern
EXECUTION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
EXECUTION_PREFIX = re.compile(r"[0-9a-f]{8}[0-9a-f-]{0,27}")
COMMIT = re.compile(r"[0-9a-f]{7,64}")
#: the runs of one commit whose actions are read (newest first), to find one that has what the action needs
MAX_CANDIDATES = 5


class PickError(InvalidRequest):
    """The execution or commit picked names nothing usable: a usage error (``run`` exits 2)."""


@dataclass(frozen=True, slots=True)
class Pick:
    """The executions to take the inputs from, newest first (the first that has them); ``label`` names the pick
    in a sentence ("commit abc1234"), ``why`` in the confirmation ("the execution you are viewing")."""

    execution_ids: tuple[str, ...]
    label: str
    why: str


def _shown(text: str) -> str:
    return repr(text.strip()[:80])


def parse_commit(text: str) -> str:
    """7 to 64 hexadecimal characters (SHA-1 and SHA-256 commit ids), in lower case."""
    value = text.strip().lower()
    if not COMMIT.fullmatch(value):
        raise PickError(
            f"--commit takes 7 or more hexadecimal characters of a commit id (abc1234), not {_shown(text)}."
        )
    return value


def parse_execution(text: str) -> str:
    """A full execution id, or at least its first 8 characters, in lower case."""
    value = text.strip().lower()
    if not (EXECUTION_ID.fullmatch(value) or EXECUTION_PREFIX.fullmatch(value)):
        raise PickError(
            f"--execution takes an execution id (or its first 8 characters, as `pipeline-tui status` shows them), "
            f"not {_shown(text)}."
        )
    return value


def _executions(pipelines: PipelinesGateway, pipeline: str, prefix: str) -> tuple[str, ...]:
    if EXECUTION_ID.fullmatch(prefix):
        return (prefix,)
    found = [e.execution_id for e in pipelines.list_executions(pipeline, max_results=SCAN)]
    found = [e for e in found if e.startswith(prefix)]
    if not found:
        raise PickError(
            f"No execution among the newest {SCAN} of {pipeline} starts with {prefix}; give its full id "
            "(h in the dashboard, or `pipeline-tui status`, shows them)."
        )
    if len(found) > 1:
        raise PickError(f"{prefix} starts several executions of {pipeline} ({', '.join(found[:3])}); give more of it.")
    return (found[0],)


def _commit(pipelines: PipelinesGateway, pipeline: str, prefix: str) -> tuple[tuple[str, ...], str]:
    runs = [
        (ex.execution_id, rev.revision_id)
        for ex in pipelines.list_executions(pipeline, max_results=SCAN)
        for rev in ex.source_revisions
        if rev.revision_id.lower().startswith(prefix)
    ]
    commits = sorted({commit for _, commit in runs})
    if not commits:
        raise PickError(
            f"No execution among the newest {SCAN} of {pipeline} ran commit {prefix}; h in the dashboard lists "
            "each execution's commit (an older execution: pick it with --execution and its full id)."
        )
    if len(commits) > 1:
        shown = ", ".join(c[:12] for c in commits[:3])
        raise PickError(f"{prefix} starts several commits that ran in {pipeline} ({shown}); give more of it.")
    return tuple(dict.fromkeys(ex for ex, _ in runs))[:MAX_CANDIDATES], commits[0]


def picked(
    pipelines: PipelinesGateway, pipeline: str, *, execution: str | None, commit: str | None, why: str = ""
) -> tuple[Pick, list[dict[str, Any]]]:
    """The pick and its executions' action details (``ListActionExecutions`` filtered by each), read through a
    :class:`tui.aws.pipelines.PipelineGateway`; :class:`PickError` when it names nothing."""
    if commit is not None:
        ids, full = _commit(pipelines, pipeline, parse_commit(commit))
        pick = Pick(ids, f"any run of commit {full[:12]}", why or f"the newest run of commit {full[:12]}")
    elif execution is not None:
        ids = _executions(pipelines, pipeline, parse_execution(execution))
        pick = Pick(ids, f"execution {ids[0][:8]}", why or "picked with --execution")
    else:
        raise ValueError("picked() needs an execution or a commit")
    details: list[dict[str, Any]] = []
    for execution_id in ids:
        try:
            details += pipelines.action_executions(pipeline, execution_id=execution_id)
        except NotFound as exc:
            if exc.code != "PipelineExecutionNotFoundException":
                raise
            raise PickError(
                f"{pipeline} has no execution {execution_id}; h in the dashboard, or `pipeline-tui status`, "
                "shows the recent ones."
            ) from exc
    return pick, details
