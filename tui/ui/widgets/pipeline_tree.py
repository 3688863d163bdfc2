"""The pipeline -> stages -> actions tree, updated in place from successive snapshots, and after the stages the
standalone builds the user started (`b`), which the pipeline's snapshots never remove.

Nodes are keyed (``("stage", name)``, ``("action", stage, name)``, ``("standalone", build id)``); each refresh
only relabels nodes whose text changed and adds/removes the nodes that appeared/disappeared, so expansion, cursor
and scroll survive. Status colours come from component classes (``pipeline-tree--failed`` ...) styled in app.tcss.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.domain.models import ActionState, Build, PipelineSnapshot, StageState, Status
from tui.services.standalone_record import StandaloneRecord
from tui.ui.format import action_timing, build_elapsed, duration, icon, status_text
from tui.ui.widgets.styles import text_style

NodeKey = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NodeRef:
    kind: str  # "pipeline" | "stage" | "action" | "standalone-group" | "standalone" (a build started by `b`)
    stage: str | None = None
    action: str | None = None
    build: str | None = None  # "standalone": the build id

    @property
    def key(self) -> NodeKey:
        if self.kind == "standalone":
            return ("standalone", self.build or "")
        if self.kind == "standalone-group":
            return (self.kind,)
        if self.kind == "stage":
            return ("stage", self.stage or "")
        if self.kind == "action":
            return ("action", self.stage or "", self.action or "")
        return ("pipeline",)


STATUS_CLASSES = {f"pipeline-tree-{s.css_class}" for s in Status}
GROUP_LABEL = "Standalone builds, started by you"
GROUP_SHORT = "Standalone, by you"  # narrow terminals
GROUP = NodeRef("standalone-group")


class PipelineTree(Tree[NodeRef]):
    COMPONENT_CLASSES = STATUS_CLASSES | {"pipeline-tree--detail", "pipeline-tree--warning"}
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "edge(-1)", "First", show=False),
        Binding("G,end", "edge(1)", "Last", show=False),
        Binding("ctrl+d", "page(1)", "Half page down", show=False),
        Binding("ctrl+u", "page(-1)", "Half page up", show=False),
    ]

    def __init__(self, name: str, **kwargs: object) -> None:
        super().__init__(name, data=NodeRef("pipeline"), **kwargs)  # type: ignore[arg-type]
        self.show_root = True
        self.guide_depth = 3
        self._by_key: dict[NodeKey, TreeNode[NodeRef]] = {}
        self._signatures: dict[NodeKey, tuple[str, Status]] = {}
        self.compact = False  # labels without the status words (narrow terminals)
        self._placements = 0  # select_key calls so far: only the newest may still move the cursor

    # -- public API -------------------------------------------------------------------------------
    def update_from(self, snapshot: PipelineSnapshot, builds: dict[str, Build], now: datetime) -> None:
        """Bring the tree in line with ``snapshot``, touching only what changed."""
        self._relabel(self.root, ("pipeline",), self._pipeline_label(snapshot, now))
        self.root.expand()
        seen: set[NodeKey] = set()
        previous: TreeNode[NodeRef] | None = None
        for stage in snapshot.stages:
            ref = NodeRef("stage", stage.name)
            node = self._ensure(self.root, ref, previous, leaf=False)
            seen.add(ref.key)
            self._relabel(node, ref.key, self._stage_label(stage))
            prev_action: TreeNode[NodeRef] | None = None
            for action in stage.actions:
                aref = NodeRef("action", stage.name, action.name)
                anode = self._ensure(node, aref, prev_action, leaf=True)
                seen.add(aref.key)
                build = builds.get(action.build_id or "")
                self._relabel(anode, aref.key, self._action_label(action, build, now))
                prev_action = anode
            previous = node
        self._prune(k for k in self._by_key if k not in seen and not k[0].startswith("standalone"))

    def update_standalone(
        self, records: list[StandaloneRecord], builds: dict[str, Build], gone: set[str], now: datetime
    ) -> None:
        """The standalone builds (oldest first, newest last) in their group after the stages; no group without
        them. ``gone``: the build ids CodeBuild no longer knows."""
        if not records:
            self._prune([k for k in self._by_key if k[0].startswith("standalone")])
            return
        group = self._by_key.get(GROUP.key)
        if group is None:
            group = self.root.add(GROUP_LABEL, data=GROUP, expand=True)
            self._by_key[GROUP.key] = group
        running = sum(1 for r in records if not self._complete(builds.get(r.build_id), r.build_id in gone))
        label = Text(GROUP_SHORT if self.compact else GROUP_LABEL, "bold")
        if running and not self.compact:  # separators end a span (see _assemble)
            label.append("  ")
            label.append(f"{running} running", self._style("pipeline-tree--detail"))  # type: ignore[arg-type]
        self._relabel(group, GROUP.key, (label, Status.UNKNOWN))
        seen: set[NodeKey] = {GROUP.key}
        previous: TreeNode[NodeRef] | None = None
        for record in records:
            ref = NodeRef("standalone", build=record.build_id)
            node = self._by_key.get(ref.key)
            if node is None:
                placement = {"after": previous} if previous is not None else {"before": 0} if group.children else {}
                node = group.add_leaf(record.short_id, data=ref, **placement)
                self._by_key[ref.key] = node
            seen.add(ref.key)
            build = builds.get(record.build_id)
            self._relabel(node, ref.key, self._standalone_label(record, build, record.build_id in gone, now))
            previous = node
        self._prune([k for k in self._by_key if k[0].startswith("standalone") and k not in seen])

    def _prune(self, keys: object) -> None:
        for key in list(keys):  # type: ignore[call-overload]
            node = self._by_key.pop(key)
            self._signatures.pop(key, None)
            if node.tree is self and node.parent is not None and node.id in self._tree_nodes:
                node.remove()

    def action_edge(self, direction: int) -> None:
        self.cursor_line = 0 if direction < 0 else self.last_line

    def action_page(self, direction: int) -> None:
        half = max(1, self.scrollable_content_region.height // 2)
        line = self.cursor_line if self.cursor_line >= 0 else 0
        self.cursor_line = max(0, min(self.last_line, line + direction * half))

    def restyle(self) -> None:
        """The theme changed: every label is drawn again at the next update."""
        self._signatures.clear()

    def node_for(self, key: NodeKey) -> TreeNode[NodeRef] | None:
        return self.root if key == ("pipeline",) else self._by_key.get(key)

    def select_key(self, key: NodeKey) -> bool:
        """Place the cursor on ``key`` once the tree has laid out; False (and nothing placed, nothing superseded)
        when the tree has no such node."""
        node = self.node_for(key)
        if node is None:
            return False
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        # the node's line is known only once the tree has laid out its lines
        self._placements += 1
        self.call_after_refresh(self._move_to, node, self._cursor_key(), self._placements)
        return True

    def _cursor_key(self) -> NodeKey | None:
        node = self.cursor_node
        return node.data.key if node is not None and node.data is not None else None

    def _move_to(self, node: TreeNode[NodeRef], was: NodeKey | None, placement: int) -> None:
        if placement != self._placements:
            # A newer placement was asked before this one landed: the newest wins. (Both saw the same cursor: had
            # this older one moved it, the newer one would have taken that for the user's move and given way, and
            # the dashboard's first placement, after its first poll, kept beating a later one in fresh-ci.)
            return
        # Compared by what the cursor is on, not by the node object: a poll that redraws the tree meanwhile
        # leaves the cursor where it was (the standalone snapshot test once waited out its 10 s for a placement
        # a poll had cancelled).
        if self._cursor_key() != was:
            return  # the user moved the cursor meanwhile: their move wins over the dashboard's
        if node.id in self._tree_nodes:
            self.move_cursor(node)
            self.scroll_to_node(node, animate=False)

    @property
    def selected_ref(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    # -- internals --------------------------------------------------------------------------------
    def _ensure(
        self, parent: TreeNode[NodeRef], ref: NodeRef, after: TreeNode[NodeRef] | None, *, leaf: bool
    ) -> TreeNode[NodeRef]:
        node = self._by_key.get(ref.key)
        if node is not None:
            return node
        placement = {"after": after} if after is not None else {"before": 0} if parent.children else {}
        if leaf:
            node = parent.add_leaf(ref.action or "", data=ref, **placement)
        else:
            node = parent.add(ref.stage or "", data=ref, expand=True, **placement)
        self._by_key[ref.key] = node
        return node

    def _relabel(self, node: TreeNode[NodeRef], key: NodeKey, label: tuple[Text, Status]) -> None:
        text, status = label
        signature = (text.plain, status)
        if self._signatures.get(key) != signature:
            self._signatures[key] = signature
            node.set_label(text)

    def _style(self, name: str) -> object:
        try:
            return text_style(self, name)
        except Exception:  # not mounted yet / no stylesheet: plain text
            return ""

    def _status_style(self, status: Status) -> object:
        return self._style(f"pipeline-tree-{status.css_class}")

    def _assemble(
        self, status: Status, name: str, state: str, details: list[str], warning: str = "", *, bold: bool = True
    ) -> Text:
        # Separators end a span rather than start one: some SVG renderers drop a span's leading spaces.
        style = self._status_style(status)
        if self.compact and state == status_text(status):
            state = ""  # the icon and its colour say it; a narrow terminal keeps the names whole
        text = Text.assemble((f"{icon(status)} ", style), (f"{name}  ", "bold" if bold else ""))  # type: ignore[arg-type]
        text.append(state + (" " if state and (details or warning) else ""), style)  # type: ignore[arg-type]
        if details:
            shown = ("· " if state else "") + " · ".join(details) + (" " if warning else "")
            text.append(shown, self._style("pipeline-tree--detail"))  # type: ignore[arg-type]
        if warning:
            text.append(f"⛔ {warning}", self._style("pipeline-tree--warning"))  # type: ignore[arg-type]
        return text

    def _pipeline_label(self, snapshot: PipelineSnapshot, now: datetime) -> tuple[Text, Status]:
        execution = snapshot.execution
        if execution is None:
            return self._assemble(Status.NOT_STARTED, snapshot.name, "no executions", []), Status.NOT_STARTED
        spent = duration(execution.duration(now))
        text = self._assemble(execution.status, snapshot.name, status_text(execution.status), [spent] if spent else [])
        return text, execution.status

    def _stage_label(self, stage: StageState) -> tuple[Text, Status]:
        warning = ""
        if not stage.inbound_enabled:
            reason = f": {stage.inbound_disabled_reason}" if stage.inbound_disabled_reason else ""
            warning = f"transition disabled{reason}"
        return self._assemble(stage.status, stage.name, status_text(stage.status), [], warning), stage.status

    @staticmethod
    def _complete(build: Build | None, gone: bool) -> bool:
        return gone or (build is not None and build.is_complete)

    def _standalone_label(
        self, record: StandaloneRecord, build: Build | None, gone: bool, now: datetime
    ) -> tuple[Text, Status]:
        """``✓ project  Succeeded · 1a2b3c4d · 14:02 · 3m 10s``: what ran, which build, when it started."""
        status = Status.UNKNOWN if build is None else build.status
        state = "not found" if gone else "…" if build is None else status_text(status)
        started = record.started_at.astimezone().strftime("%H:%M")  # within the last 24 h
        extra = [record.short_id, started]
        if build is not None and not build.is_complete and build.current_phase:
            extra.append(build.current_phase)
        spent = duration(build_elapsed(build, now)) if build is not None else ""
        if spent:
            extra.append(spent)
        if self.compact:  # narrow: which build, when, how far; the project last (the details title names it)
            extra = [started, *extra[2:], record.project]
            return self._assemble(status, record.short_id, state, extra, bold=False), status
        return self._assemble(status, record.project, state, extra, bold=False), status

    def _action_label(self, action: ActionState, build: Build | None, now: datetime) -> tuple[Text, Status]:
        state = "Waiting for approval" if action.awaiting_approval else status_text(action.status)
        extra: list[str] = []
        if build is not None and action.status.is_running and build.current_phase:
            extra.append(build.current_phase)
        timing = action_timing(action, build, now) if action.status is not Status.NOT_STARTED else ""
        if timing:
            extra.append(timing)
        return self._assemble(action.status, action.name, state, extra, bold=False), action.status
