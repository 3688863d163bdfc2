"""Worker errors reach the user wherever the worker was started.

Textual posts ``Worker.StateChanged`` to the node that started the worker and it does not bubble
(``class StateChanged(Message, bubble=False)``), so the app's ``on_worker_state_changed`` sees only its own
workers. Every screen or widget that starts workers mixes this in: a failed worker's error goes to the app's one
error handler (one sentence, never a traceback) instead of vanishing.
"""

from __future__ import annotations

from typing import Any

from textual.worker import Worker, WorkerState


class ReportsWorkerErrors:
    app: Any

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.app.report_error(event.worker.error)
