"""Push mode (docs/events.md): `events enable|disable`, and the feed that tells the overview which pipelines changed.

The feed reads the one log group with ``FilterLogEvents`` every :data:`READ_SECONDS` (10 calls a minute however
many pipelines there are; more only when a read returns a full page). Each event names its pipeline (CodePipeline
events: ``detail.pipeline``; CodeBuild events: ``detail.additional-information.initiator`` =
``codepipeline/<name>`` when a pipeline started the build); the overview re-reads only that pipeline (2 calls).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui.aws.events import LOG_GROUP, POLICY, RETENTION_DAYS, RULE, EventsGateway, Found
from tui.domain.errors import PipelineTuiError

READ_SECONDS = 6.0
#: events written before a read started may be ingested a little later: each read looks back this far
LOOK_BACK_MS = 30_000
SEEN_LIMIT = 5_000


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the plan: what is done to which resource."""

    verb: str  # "create", "delete", "keep", "refuse"
    what: str


def plan_enable(found: Found) -> list[Step]:
    if found.foreign:
        return [Step("refuse", f"{name} exists and is not ours (no pipeline-tui tags)") for name in found.foreign]
    return [
        Step("keep" if found.log_group else "create", f"log group {LOG_GROUP} (retention {RETENTION_DAYS} day)"),
        Step("keep" if found.policy else "create", f"log resource policy {POLICY} (EventBridge, this rule only)"),
        Step("keep" if found.rule else "create", f"EventBridge rule {RULE} on the default bus"),
        Step("keep" if found.target else "create", "its target: the log group"),
    ]


def plan_disable(found: Found) -> list[Step]:
    steps = [Step("refuse", f"{name} is not ours: left alone") for name in found.foreign]
    if found.target:
        steps.append(Step("delete", f"the target of rule {RULE}"))
    if found.rule:
        steps.append(Step("delete", f"EventBridge rule {RULE}"))
    if found.policy:
        steps.append(Step("delete", f"log resource policy {POLICY}"))
    if found.log_group:
        steps.append(Step("delete", f"log group {LOG_GROUP}"))
    return steps


def enable(gateway: EventsGateway, found: Found) -> None:
    """Create what is missing, in an order in which nothing delivers into something absent."""
    if found.foreign:
        raise PipelineTuiError(f"{found.foreign[0]} exists and is not ours; nothing was changed.")
    if not found.log_group:
        gateway.create_log_group()
    if not found.policy:
        gateway.put_policy()
    if not found.rule:
        gateway.put_rule()
    if not found.target:
        gateway.put_target()


def disable(gateway: EventsGateway, found: Found) -> None:
    gateway.delete_rule(found)
    gateway.delete_logs(found)


def pipeline_of(message: str) -> tuple[str, str] | None:
    """(region, pipeline) an EventBridge event (as the log group holds it) is about, or None."""
    try:
        event = json.loads(message)
        detail = event.get("detail") or {}
        region = str(event.get("region") or "")
    except (ValueError, AttributeError):
        return None
    name = detail.get("pipeline") if isinstance(detail, dict) else None
    if not name and isinstance(detail, dict):
        initiator = str((detail.get("additional-information") or {}).get("initiator") or "")
        name = initiator.removeprefix("codepipeline/") if initiator.startswith("codepipeline/") else None
    if not isinstance(name, str) or not name or not region:
        return None
    return region, name


class EventFeed:
    """Reads new events from the log group; every viewer has its own feed (reads share nothing)."""

    def __init__(self, gateway: EventsGateway, now_ms: Callable[[], int]) -> None:
        self.gateway = gateway
        self.now_ms = now_ms
        self.cursor = now_ms() - LOOK_BACK_MS
        self._seen: OrderedDict[str, None] = OrderedDict()

    def poll(self) -> list[tuple[str, str]]:
        """The pipelines that changed since the last poll (each once), oldest event first."""
        started = self.now_ms()
        token: str | None = None
        found: dict[tuple[str, str], None] = {}
        newest = self.cursor
        while True:
            events, token = self.gateway.read(self.cursor, token)
            for event in events:
                event_id = str(event.get("eventId", ""))
                if event_id in self._seen:
                    continue
                self._remember(event_id)
                newest = max(newest, int(event.get("timestamp", 0)))
                key = pipeline_of(str(event.get("message", "")))
                if key is not None:
                    found[key] = None
            if not token:
                break
        self.cursor = max(self.cursor, min(newest, started) - LOOK_BACK_MS)
        return list(found)

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        while len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)


def events_gateway(clients: Any) -> EventsGateway:
    """A gateway over ``clients`` (a tui.aws.session.Clients), for its account and region."""
    account = str(clients.sts.get_caller_identity()["Account"])
    return EventsGateway(clients.events, clients.logs, clients.region, account)


def feed_for(clients: Any, now_ms: Callable[[], int]) -> EventFeed | None:
    """The feed when push mode is set up and readable here, else None (the overview then polls)."""
    try:
        gateway = events_gateway(clients)
        if not gateway.found().complete:
            return None
    except PipelineTuiError:
        return None
    return EventFeed(gateway, now_ms)
