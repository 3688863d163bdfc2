"""One object the screens and headless commands use: plan, apply, destroy and the connection status."""

from __future__ import annotations

import threading
from typing import Any

from tui.aws.errors import aws_errors
from tui.domain.plan import Plan, RunResult
from tui.services.config import AppConfig
from tui.services.provision import apply as apply_mod
from tui.services.provision import destroy as destroy_mod
from tui.services.provision.apply import OnEvent
from tui.services.provision.context import Context
from tui.services.provision.gateways import Gateways, make_gateways, resolve_context
from tui.services.provision.lock import pipeline_lock
from tui.services.provision.plan import compute_plan
from tui.services.provision.record import Record


class Provisioner:
    """``Provisioner(clients, config)``; every method does blocking AWS calls (run it in a worker thread)."""

    def __init__(
        self,
        clients: Any,
        config: AppConfig,
        *,
        adopt: frozenset[str] = frozenset(),
        include_adopted: bool = False,
        delete_state: bool = False,
    ) -> None:
        """``adopt``: names of existing resources, not ours, that the user allows provision to take over;
        ``include_adopted``: destroy deletes adopted resources too; ``delete_state``: and the Terraform state
        bucket even while it holds state."""
        self.clients = clients
        self.config = config
        self.adopt = adopt
        self.include_adopted = include_adopted
        self.delete_state = delete_state
        self._ctx: Context | None = None
        self._gateways: Gateways | None = None
        self.connection_arn: str | None = config.connection_arn

    def context(self) -> Context:
        if self._ctx is None:
            self._ctx = resolve_context(self.clients, self.config)
            self._ctx.record = Record(self._ctx.pipeline, self._ctx.account, self._ctx.region)
        ctx = self._ctx
        ctx.connection_arn = self.connection_arn
        return ctx

    @property
    def gateways(self) -> Gateways:
        if self._gateways is None:
            self._gateways = make_gateways(self.clients, self.context())
        return self._gateways

    @property
    def region(self) -> str:
        return self.context().region

    def steps(self) -> list[tuple[str, str]]:
        return apply_mod.steps(self.context())

    def plan(self) -> Plan:
        ctx = self.context()
        plan = compute_plan(self.gateways, ctx, self.adopt)
        self.connection_arn = ctx.connection_arn or self.connection_arn
        return plan

    def apply(self, *, on_event: OnEvent | None = None, cancel: threading.Event | None = None) -> RunResult:
        """ProvisionLocked when another run provisions or destroys this pipeline."""
        ctx = self.context()
        with pipeline_lock(ctx.pipeline, ctx.account, ctx.region, command="provision"):
            result = apply_mod.apply(self.gateways, ctx, on_event=on_event, cancel=cancel, adopt=self.adopt)
        self.connection_arn = result.connection_arn or self.connection_arn
        return result

    def plan_destroy(self) -> Plan:
        return destroy_mod.plan_destroy(
            self.gateways, self.context(), include_adopted=self.include_adopted, delete_state=self.delete_state
        )

    def destroy(
        self, plan: Plan | None = None, *, on_event: OnEvent | None = None, cancel: threading.Event | None = None
    ) -> RunResult:
        """ProvisionLocked when another run provisions or destroys this pipeline."""
        ctx = self.context()
        with pipeline_lock(ctx.pipeline, ctx.account, ctx.region, command="destroy"):
            return destroy_mod.destroy(self.gateways, ctx, plan, on_event=on_event, cancel=cancel)

    def connection_status(self, arn: str | None = None) -> str | None:
        """PENDING / AVAILABLE / ERROR, or None if the connection is gone (one GetConnection call)."""
        target = arn or self.connection_arn
        if not target:
            return None
        with aws_errors("codestar-connections"):
            return self.gateways.connection.status(target)

    def release_after_handshake(self) -> str | None:
        """AWS starts a pipeline's first run when it is created; while the connection is still PENDING that
        run fails at Source. Once the connection is AVAILABLE, start a fresh run unless the latest one is
        running or succeeded. Returns the new execution id, or None when no run was needed."""
        from tui.aws.pipelines import PipelineGateway as ExecutionGateway
        from tui.domain.models import Status

        gateway = ExecutionGateway(self.clients.client("codepipeline"), self.region)
        name = self.config.pipeline_name
        latest = gateway.list_executions(name, max_results=1)
        if latest and (latest[0].status.is_running or latest[0].status is Status.SUCCEEDED):
            return None
        return gateway.start(name)
