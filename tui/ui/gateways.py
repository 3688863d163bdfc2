"""Gateways for the dashboard, built lazily off the UI thread (boto3 is imported only when first needed)."""

from __future__ import annotations

import threading
from typing import Any


class Gateways:
    """``pipelines`` / ``builds`` / ``logs`` gateways over the app's injected ``clients`` (or new ones)."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._lock = threading.Lock()
        self._cache: dict[str, Any] = {}

    def _clients(self) -> Any:
        clients = self._app.service("clients")
        if clients is None:
            from tui.aws.session import Clients

            clients = Clients(self._app.options.aws)
            self._app.services["clients"] = clients
        return clients

    def _get(self, name: str) -> Any:
        with self._lock:  # boto3 sessions are not thread-safe while creating clients
            if name not in self._cache:
                injected = self._app.service(f"{name}_gateway")
                self._cache[name] = injected if injected is not None else self._build(name)
            return self._cache[name]

    def _build(self, name: str) -> Any:
        clients = self._clients()
        if name == "pipelines":
            from tui.aws.pipelines import PipelineGateway

            return PipelineGateway(clients.codepipeline, clients.region)
        if name == "builds":
            from tui.aws.builds import BuildGateway

            return BuildGateway(clients.codebuild)
        from tui.aws.logs import LogGateway

        return LogGateway(clients.logs)

    @property
    def pipelines(self) -> Any:
        return self._get("pipelines")

    @property
    def builds(self) -> Any:
        return self._get("builds")

    @property
    def logs(self) -> Any:
        return self._get("logs")


def gateways_of(app: Any) -> Gateways:
    """One ``Gateways`` per app, shared by the dashboard, history and picker screens."""
    existing = app.service("gateways")
    if existing is None:
        existing = Gateways(app)
        app.services["gateways"] = existing
    return existing
