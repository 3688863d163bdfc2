"""When the dashboard reads the pipeline, and what. One poll at a time, in a thread worker of the screen; its
results come back to the screen as messages, and the screen arms the next poll (:meth:`Poller.arm`) when
the last message of a poll has arrived.

The standalone builds the user started (``standalone``: the ids not known to be complete) ride on the same polls:
their ids join the poll's one BatchGetBuilds every STANDALONE_REFRESH seconds while any runs, none once all are
complete; while the pipeline is idle (a poll every 15 s) the timer fires sooner for them, and such a poll reads only
them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.timer import Timer
from textual.worker import get_current_worker

from tui.domain.background import start
from tui.domain.errors import AccessDenied, CredentialsError, NotFound, PipelineTuiError, Throttled, Unreachable
from tui.domain.models import Build, PipelineSnapshot
from tui.services.poll_policy import PollPolicy
from tui.ui.messages import BuildsFetched, PollFailed, SnapshotFetched

if TYPE_CHECKING:
    from tui.ui.wiring import Gateways

# About 20 GetPipelineState calls a minute while a run is live (a few more when the log shows a new phase), and
# BatchGetBuilds about every 15 s for the running builds' phases (sooner when an action changes or, at most every
# PHASE_REFRESH s, when the log enters a phase): within 35 pipeline calls a minute in all (python -m tests.perf).
RUNNING_INTERVAL = 3.0
BUILD_REFRESH = 15.0
LOG_STREAM_REFRESH = 5.0
# a running standalone build: 6 BatchGetBuilds a minute at most, sooner when its log enters a phase
STANDALONE_REFRESH = 10.0
# a phase change seen in the log reads the builds early, at most this often
PHASE_REFRESH = 10.0


class Poller:
    """Owns the poll timer and the back-off policy; ``screen`` runs the poll's worker and timers and receives
    its messages; ``gateways`` has ``pipelines`` and ``builds``; ``standalone`` gives the ids of the standalone
    builds not known to be complete; ``due`` is called when the timer says a poll is due (True: the pipeline's,
    False: only the standalone builds')."""

    def __init__(
        self,
        screen: Screen[Any],
        pipeline: str,
        gateways: Callable[[], Any],
        now: Callable[[], datetime],
        standalone: Callable[[], set[str]],
        due: Callable[[bool], None],
    ):
        self.screen = screen
        self.standalone = standalone
        self.due = due
        self.pipeline = pipeline
        self.gateways = gateways
        self.now = now
        self.policy = PollPolicy(running_interval=RUNNING_INTERVAL)
        self._timer: Timer | None = None
        self._marks: dict[str, tuple[object, ...]] = {}  # build id -> its action's status when read
        self._builds_read_at = float("-inf")
        self._warmed = False
        self._read_ahead_ids: set[str] = set()  # failed builds whose last lines were read ahead
        self._standalone_read_at = float("-inf")
        self._pipeline_due = float("-inf")  # time.monotonic() of the next pipeline read the timer owes
        self.asked_standalone: frozenset[str] = frozenset()  # the standalone ids the last poll asked for

    def poll_now(self, execution_id: str | None, builds: dict[str, Build], *, pipeline: bool = True) -> None:
        """Read now: the pipeline (and its builds when due), and the standalone builds when due;
        ``pipeline`` False: only the standalone builds."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        pending = self.standalone()
        complete = frozenset(k for k, b in builds.items() if b.is_complete)
        # BatchGetBuilds only for a new build, an action whose status changed, or every BUILD_REFRESH
        # seconds for the running builds' phases: most polls then cost one GetPipelineState call.
        # ... and sooner while a running build has no log stream yet, so its log opens quickly.
        waiting = any(not b.is_complete and not b.logs_available for k, b in builds.items() if k not in pending)
        now = self.now().timestamp()
        stale = now - self._builds_read_at >= (LOG_STREAM_REFRESH if waiting else BUILD_REFRESH)
        asked = frozenset(pending) if pending and now - self._standalone_read_at >= STANDALONE_REFRESH else frozenset()
        if asked:
            self._standalone_read_at = now
        self.asked_standalone = asked
        self.screen.run_worker(
            lambda: self._poll(execution_id, complete, dict(self._marks), stale, asked, pipeline),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group="poll",
        )

    def _poll(
        self,
        execution_id: str | None,
        complete: frozenset[str],
        marks: dict[str, tuple[object, ...]],
        stale: bool,
        standalone: frozenset[str] = frozenset(),
        pipeline: bool = True,
    ) -> None:
        worker = get_current_worker()
        post = self.screen.post_message
        try:
            gateways = self.gateways()
            ids: list[str] = []
            if pipeline:
                if not self._warmed:  # build the other clients while the first snapshot's calls are on the wire
                    self._warmed = True
                    start(lambda: _warm(gateways), name="warm-clients")
                snapshot = gateways.pipelines.snapshot(self.pipeline, execution_id)
                if worker.is_cancelled:
                    return
                post(SnapshotFetched(snapshot))
                self._read_ahead(gateways, snapshot)
                current = build_marks(snapshot, complete)
                changed = [i for i, mark in current.items() if marks.get(i) != mark]
                ids = sorted(current) if (stale or changed) else []
            ids = sorted({*ids, *standalone})  # one BatchGetBuilds for the pipeline's builds and the standalone ones
            builds = gateways.builds.get_builds(ids) if ids else {}
        except Exception as exc:
            if not worker.is_cancelled:
                post(PollFailed(exc))
            return
        if not worker.is_cancelled:
            post(BuildsFetched(builds))

    def _read_ahead(self, gateways: Gateways, snapshot: PipelineSnapshot) -> None:
        """A newly failed build's last lines are read while BatchGetBuilds says where its log is: CodeBuild's
        default is group ``/aws/codebuild/<project>``, stream ``<build uuid>``
        (https://docs.aws.amazon.com/codebuild/latest/APIReference/API_CloudWatchLogsConfig.html); when the
        build names another, the log pane's read goes there and this one is wasted (one call)."""
        from tui.ui.widgets.log_tail import END_LINES

        logs = None
        for stage in snapshot.stages:
            for action in stage.actions:
                build_id = action.build_id or ""
                if not action.status.is_failure or ":" not in build_id or build_id in self._read_ahead_ids:
                    continue
                self._read_ahead_ids.add(build_id)
                logs = logs or gateways.logs
                project, uuid = build_id.split(":", 1)
                logs.read_ahead(f"/aws/codebuild/{project}", uuid, limit=END_LINES)

    def phase_entered(self, standalone: bool) -> bool:
        """The log shows a new phase: read the builds now (so the details show the phase the log does), unless
        they were read less than PHASE_REFRESH seconds ago. CodeBuild's first phases follow each other within
        seconds, and a read per phase doubled BatchGetBuilds (and added GetPipelineState) while a run is live.
        True: the caller polls now."""
        read_at = self._standalone_read_at if standalone else self._builds_read_at
        if self.now().timestamp() - read_at < PHASE_REFRESH:
            return False
        if standalone:
            self.refresh_standalone()
        else:
            self.refresh_builds()
        return True

    def refresh_builds(self) -> None:
        """Read the builds at the next poll (the log shows a new phase: the details must show it too)."""
        self._builds_read_at = float("-inf")

    def refresh_standalone(self) -> None:
        """Read the standalone builds at the next poll (one entered a new phase, or was stopped)."""
        self._standalone_read_at = float("-inf")

    def builds_read(self, snapshot: PipelineSnapshot | None, builds: dict[str, Build]) -> None:
        """Some builds were read (``builds``: the ones known before them)."""
        self._builds_read_at = self.now().timestamp()
        complete = frozenset(k for k, b in builds.items() if b.is_complete)
        if snapshot is not None:
            self._marks.update(build_marks(snapshot, complete))

    def arm(self, running: bool) -> None:
        """The next poll; sooner (only the standalone builds read) while one runs and the pipeline is idle."""
        if self._timer is not None:
            self._timer.stop()
        delay = self.policy.next_delay(running=running)
        self._pipeline_due = time.monotonic() + delay
        if self.standalone() and not self.policy.consecutive_failures:
            delay = min(delay, STANDALONE_REFRESH)
        self._timer = self.screen.set_timer(delay, self._fire)

    def _fire(self) -> None:
        self._timer = None
        left = self._pipeline_due - time.monotonic()
        if left <= 0.05:
            self.due(True)
        elif self.standalone() and self.now().timestamp() - self._standalone_read_at >= STANDALONE_REFRESH:
            self.due(False)
        else:  # nothing due yet (the standalone builds were read meanwhile): wait for what is
            self._timer = self.screen.set_timer(min(left, STANDALONE_REFRESH), self._fire)


def _warm(gateways: Any) -> None:
    """Create the CodeBuild and CloudWatch Logs gateways (their clients) now: a failed build's log is read
    right after the first snapshot, and creating a boto3 client costs tens of milliseconds."""
    try:
        _ = gateways.builds, gateways.logs
    except Exception:
        return  # the poll that needs them creates them again, and reports the error


def build_marks(snapshot: PipelineSnapshot, complete: frozenset[str]) -> dict[str, tuple[object, ...]]:
    """Unfinished builds of the snapshot -> what their actions say about them (status, last change)."""
    return {
        a.build_id: (a.status, a.last_status_change)
        for s in snapshot.stages
        for a in s.actions
        if a.build_id and a.build_id not in complete
    }


def error_badge(error: BaseException | None) -> str:
    if isinstance(error, CredentialsError):
        return "credentials expired" if "expired" in str(error) else "no credentials"
    if isinstance(error, AccessDenied):
        return "access denied"
    if isinstance(error, NotFound):
        return "pipeline not found"
    return "AWS error"


def badges(
    policy: PollPolicy, pinned: str | None, updated: datetime | None = None
) -> list[tuple[str, bool, str | None]]:
    """The header's badges for the last poll's outcome: (name, shown, text); ``updated``: when the pipeline was
    last read (said while reconnecting, so a frozen count is not taken for a live one)."""
    from tui.ui.format import clock_time

    error = policy.last_error
    stale = f"reconnecting · last updated {clock_time(updated, seconds=True)}" if updated else "reconnecting"
    access = isinstance(error, CredentialsError | AccessDenied)
    other = error is not None and not access and not isinstance(error, Throttled | Unreachable)
    return [
        ("throttled", policy.throttled, None),
        ("reconnecting", policy.reconnecting, stale),
        ("credentials", access, error_badge(error) if access else None),
        ("error", other, error_badge(error) if other else None),
        ("history", pinned is not None, f"history {pinned[:8]} · Esc: live" if pinned else None),
    ]


def failure_notice(error: PipelineTuiError, pipeline: str) -> tuple[str, str] | None:
    """(title, message) to say once, or None: throttling and network loss have their badges and recover
    by themselves."""
    if isinstance(error, Throttled | Unreachable):
        return None
    if isinstance(error, NotFound):
        return (
            f"Pipeline {pipeline} not found",
            f"Pipeline {pipeline} was not found: it may have been deleted or renamed. {error.sentence}",
        )
    return "Cannot read the pipeline", error.sentence
