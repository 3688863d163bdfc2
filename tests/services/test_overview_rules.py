"""The overview's pure parts, searched with hypothesis: percentiles, the sort, the poll scheduler's budget, and
hostile text in GetPipelineState answers."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from tui.aws.overview import state_view
from tui.domain.models import Execution, Status
from tui.domain.overview import Overview, PipelineRow, median, percentile, sort_rows, timing
from tui.services.overview import PollScheduler

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)
durations = st.lists(st.floats(min_value=0, max_value=86_400, allow_nan=False), min_size=1, max_size=40)


@given(durations)
def test_median_and_p95_agree_with_the_standard_library(values: list[float]) -> None:
    assert median(values) == statistics.median(values)
    p95 = percentile(values, 0.95)
    assert p95 in values
    assert sum(v <= p95 for v in values) >= 0.95 * len(values)  # nearest rank: at least 95 % at or below
    assert sum(v < p95 for v in values) < 0.95 * len(values)


def _run(seconds: float, status: Status = Status.SUCCEEDED, n: int = 0) -> Execution:
    start = NOW - timedelta(hours=n + 1)
    return Execution(f"ex-{n}", status, start, start + timedelta(seconds=seconds))


@given(
    st.lists(st.integers(min_value=0, max_value=86_400), min_size=1, max_size=40),
    st.lists(st.sampled_from([Status.FAILED, Status.STOPPED]), max_size=5),
)
def test_only_succeeded_runs_count_and_at_most_twenty(values: list[int], failures: list[Status]) -> None:
    runs = tuple(_run(v, n=i) for i, v in enumerate(values)) + tuple(_run(1.0, s, 99) for s in failures)
    found = timing(runs, NOW)
    assert found.runs == min(20, len(values))
    assert found.median == statistics.median(values[:20])


statuses = st.sampled_from(list(Status))
rows = st.lists(
    st.builds(
        PipelineRow,
        name=st.text("abcxyz-", min_size=1, max_size=6),
        region=st.sampled_from(["us-east-1", "eu-west-1"]),
        execution=st.builds(Execution, execution_id=st.just("e"), status=statuses) | st.none(),
        failing_action=st.none() | st.just("Deploy"),
        waiting_approval=st.none() | st.just("Approve/Release"),
        error=st.none() | st.just("Access denied."),
    ),
    max_size=12,
)


@given(rows)
def test_failing_then_waiting_pipelines_sort_first(found: list[PipelineRow]) -> None:
    ordered = sort_rows(found)
    ranks = [r.rank for r in ordered]
    assert ranks == sorted(ranks)
    seen_quiet = False
    for row in ordered:
        urgent = row.failing or bool(row.waiting_approval)
        assert not (urgent and seen_quiet), "an urgent pipeline sorted after a quiet one"
        seen_quiet = seen_quiet or not urgent


def _overview(keys: list[tuple[str, bool]]) -> Overview:
    made = [
        PipelineRow(name, "us-east-1", Execution(name, Status.IN_PROGRESS if busy else Status.SUCCEEDED))
        for name, busy in keys
    ]
    return Overview(tuple(made), ("us-east-1",), NOW)


@given(
    st.lists(st.tuples(st.text("abcdefgh", min_size=1, max_size=5), st.booleans()), unique_by=lambda k: k[0]),
    st.integers(min_value=4, max_value=600),
    st.sampled_from([2.0, 5.0, 10.0]),
)
def test_polling_stays_in_budget_and_reaches_every_pipeline(
    keys: list[tuple[str, bool]], budget: int, tick: float
) -> None:
    overview = _overview(keys)
    scheduler = PollScheduler(budget=budget, tick_seconds=tick)
    per_minute = int(60 / tick)
    spent: list[int] = []
    last: dict[tuple[str, str], float] = {}
    longest = 0.0
    busy = sum(b for _, b in keys)
    minutes = 6
    for n in range(per_minute * minutes):
        now = n * tick
        chosen = scheduler.due(overview, now)
        assert len(set(chosen)) == len(chosen)
        spent.append(2 * len(chosen))
        for key in chosen:
            longest = max(longest, now - last.get(key, 0.0))
            last[key] = now
    for start in range(len(spent) - per_minute + 1):
        assert sum(spent[start : start + per_minute]) <= budget + scheduler.burst, "a minute spent more than allowed"
    assert sum(spent) <= budget * minutes + scheduler.burst
    end = per_minute * minutes * tick
    for row in overview.rows:  # nobody starves: each waited at most longest_wait
        gap = max(longest, end - last.get(row.key, 0.0)) if row.key in last else end
        assert gap <= scheduler.longest_wait(len(keys), busy) or end <= scheduler.longest_wait(len(keys), busy), (
            f"{row.name} starved"
        )


hostile = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)


@given(hostile, hostile)
def test_error_text_from_aws_is_cleaned_at_the_door(message: str, name: str) -> None:
    raw = {
        "stageStates": [
            {
                "stageName": "Build",
                "latestExecution": {"pipelineExecutionId": "e", "status": "Failed"},
                "actionStates": [
                    {
                        "actionName": "Compile",
                        "latestExecution": {
                            "status": "Failed",
                            "errorDetails": {"code": "JobFailed", "message": message},
                        },
                    }
                ],
            }
        ]
    }
    view = state_view(raw)
    error = view.actions[0].error
    if error is not None:
        assert len(error) <= 200
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in error)
