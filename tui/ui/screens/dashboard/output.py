"""`w` (save the log) and `E` (incident summary): the files go to the user's state directory (or the one the
tests inject), never the working directory, and each notification names the full path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui.domain.text import capped
from tui.ui.screens.dashboard.commands import PipelineCommands
from tui.ui.widgets.log_pane import LogPane


def _failed(app: Any, what: str, path: Path, exc: OSError) -> None:
    reason = capped(exc.strerror or str(exc), 200)
    app.notify(f"{path} could not be written ({reason}).", title=f"Could not save {what}", severity="error")


def output_dir(app: Any, what: str) -> Path | None:
    """The directory to write ``what`` in, created if missing; None (and the user is told) when it cannot be."""
    from tui.services.files import private_dir

    directory = app.cache.output_path()
    try:
        private_dir(directory)
    except OSError as exc:
        _failed(app, what, directory, exc)
        return None
    return directory


def save_log(app: Any, pane: LogPane) -> None:
    """Written by a worker; LogPane says when it is done."""
    if pane.build_key is None:
        app.notify("No build log selected.", severity="warning")
    elif (directory := output_dir(app, "the log")) is not None and pane.save(directory):
        app.notify("Reading the whole log from CloudWatch Logs…", title="Saving the log")


def write_incident(app: Any, commands: PipelineCommands, pane: LogPane) -> None:
    """The summary (capped under 64 KB by ``incident_markdown``) to a file and to the clipboard."""
    directory = output_dir(app, "the incident summary")
    incident = commands.incident(directory, pane.build_key, pane.lines) if directory is not None else None
    if incident is None:
        return
    from tui.services.files import write_private

    path, text = incident
    try:
        write_private(path, text)  # 0600: it quotes build output, account ids and URLs
    except OSError as exc:
        _failed(app, "the incident summary", path, exc)
        return
    app.copy_to_clipboard(text)
    app.notify(f"{path} (also copied to the clipboard)", title="Incident summary written")
