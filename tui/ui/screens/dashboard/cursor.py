"""Where the dashboard's tree cursor goes by itself: onto the running (or latest) action while the user has
not moved it, and onto each new failure once. Plain state, no widgets."""

from __future__ import annotations

from tui.domain.models import ActionState, PipelineSnapshot, StageState
from tui.ui.widgets.pipeline_tree import NodeKey, NodeRef


class CursorFollow:
    def __init__(self) -> None:
        self.auto = True  # False once the user moves the cursor (or a failure is shown), until a new run
        self.placed: NodeKey | None = None  # the node the dashboard moved the cursor to, not the user
        self._announced: set[tuple[str, str, str]] = set()

    def follows(self, shown: NodeRef | None) -> bool:
        """Whether the dashboard may move the cursor now: the user has not moved it, not even by a key whose
        highlight message is still queued behind the poll that asks (the cursor is no longer where it was put)."""
        if self.auto and self.placed is not None and shown is not None and shown.key != self.placed:
            self.auto = False
        return self.auto

    def target(self, snapshot: PipelineSnapshot, first: bool) -> NodeKey | None:
        """The running action; else, on the first snapshot or once the run ended, the latest that ran."""
        actions = [(s.name, a) for s in snapshot.stages for a in s.actions]
        running = [(s, a) for s, a in actions if a.status.is_running]
        ran = [(s, a) for s, a in actions if a.status.name != "NOT_STARTED"]
        found = (running or (ran[-1:] if first or not snapshot.is_running else []))[:1]
        return ("action", found[0][0], found[0][1].name) if found else None

    def new_failure(self, execution_id: str, stage: StageState, action: ActionState) -> bool:
        """True the first time this failure is seen; the cursor then stays where it is put."""
        # the action's own execution id (or change time) tells a retry's new failure from the one announced
        key = (execution_id, stage.name, f"{action.name}/{action.action_execution_id or action.last_status_change}")
        if key in self._announced:
            return False
        self._announced.add(key)
        self.auto = False
        return True

    def highlighted(self, key: NodeKey) -> None:
        """The tree cursor moved to ``key``: by the user unless the dashboard just placed it there."""
        if key != self.placed:
            self.auto = False
            self.placed = None
