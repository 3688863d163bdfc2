"""The standalone builds the user started (`b` in the dashboard, `pipeline-tui run`), remembered per pipeline in
the user's state directory so that the dashboard shows them again after a restart.

One JSON file, ``standalone-builds.json``: ``{key: [record, ...]}``, oldest first, the newest :data:`KEEP` per
key. The key (:func:`record_key`) names the account, region and endpoint as well as the pipeline: a same-named
pipeline elsewhere (another account, region, or the emulator) never shows these builds as "not found".
The file is ours but lives on the user's disk: what is read back is checked (a build id must look like
``project:uuid``), and a file that cannot be read or written is no error: the builds run either way.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

APP_NAME = "pipeline-tui"
FILE_NAME = "standalone-builds.json"
KEEP = 20  # per pipeline
SHOWN_FOR = timedelta(hours=24)  # the dashboard shows the builds started this long ago at most
#: CodeBuild build ids are ``<project>:<uuid>``; project names are 2-255 of ``[A-Za-z0-9][A-Za-z0-9\-_]``
_BUILD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_]{1,254}:[A-Za-z0-9\-]{1,64}")
_NAME = re.compile(r"[A-Za-z0-9.@\-_]{1,100}")  # stage and action names (CodePipeline's pattern)


def state_dir() -> Path:
    """The user's state directory (``$XDG_STATE_HOME/pipeline-tui``): saved logs, incident summaries, this record."""
    from platformdirs import user_state_path

    return user_state_path(APP_NAME).resolve()


@dataclass(frozen=True, slots=True)
class StandaloneRecord:
    build_id: str
    project: str
    stage: str
    action: str
    started_at: datetime

    @property
    def short_id(self) -> str:
        """The first 8 characters of the build's uuid (what the tree and the messages show)."""
        return self.build_id.partition(":")[2][:8]

    def to_json(self) -> dict[str, str]:
        return {
            "build_id": self.build_id,
            "project": self.project,
            "stage": self.stage,
            "action": self.action,
            "started_at": self.started_at.astimezone(UTC).isoformat(),
        }

    @classmethod
    def from_json(cls, raw: Any) -> StandaloneRecord | None:
        """None for an entry that is not one of ours (a hand-edited or damaged file)."""
        if not isinstance(raw, dict):
            return None
        build_id, stage, action = raw.get("build_id"), raw.get("stage"), raw.get("action")
        if not isinstance(build_id, str) or not _BUILD_ID.fullmatch(build_id):
            return None
        if not isinstance(stage, str) or not isinstance(action, str):
            return None
        if not _NAME.fullmatch(stage) or not _NAME.fullmatch(action):
            return None
        try:
            started = datetime.fromisoformat(str(raw.get("started_at")))
        except ValueError:
            return None
        started = started if started.tzinfo else started.replace(tzinfo=UTC)
        return cls(build_id, build_id.partition(":")[0], stage, action, started)


def record_key(where: Any, pipeline: str) -> str:
    """``account/region/endpoint/pipeline`` where ``pipeline`` is read: a dashboard's Target (its settings, resolved
    once), or the command's Options, resolved here for ``pipeline`` (flags, environment, the saved config; no AWS
    call). The account is the saved config's when it names this pipeline, else unknown."""
    from tui.services.settings import configured
    from tui.services.target import Target, target_for

    target = where if isinstance(where, Target) else target_for(where, configured(where), pipeline=pipeline)
    config, settings = target.config, target.aws
    account = config.aws_account_id if config is not None and config.pipeline_name == pipeline else None
    return "/".join(
        (account or "account?", settings.region or "default-region", settings.endpoint_url or "aws", pipeline)
    )


def record_for(build: Any, stage: str, action: str, now: datetime) -> StandaloneRecord:
    """The record of ``build`` (a :class:`tui.domain.models.Build` just started) of ``stage``/``action``."""
    return StandaloneRecord(build.build_id, build.project, stage, action, build.start_time or now)


def _read(path: Path) -> dict[str, Any]:
    from tui.services.files import read_regular

    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _records(data: dict[str, Any], key: str) -> list[StandaloneRecord]:
    entries = data.get(key)
    found = [StandaloneRecord.from_json(e) for e in entries] if isinstance(entries, list) else []
    return [r for r in found if r is not None]


def remembered(directory: Path, key: str, now: datetime, within: timedelta = SHOWN_FOR) -> list[StandaloneRecord]:
    """The standalone builds of ``key`` (:func:`record_key`) started within ``within`` of ``now``, oldest first."""
    records = _records(_read(directory / FILE_NAME), key)
    return sorted((r for r in records if now - r.started_at <= within), key=lambda r: r.started_at)


def remember(directory: Path, key: str, record: StandaloneRecord) -> bool:
    """Add ``record`` to ``key``'s (:func:`record_key`), keeping the newest :data:`KEEP`; False when the file cannot
    be written."""
    path = directory / FILE_NAME
    data = _read(path)
    records = [r for r in _records(data, key) if r.build_id != record.build_id] + [record]
    records.sort(key=lambda r: r.started_at)
    data[key] = [r.to_json() for r in records[-KEEP:]]
    from tui.services.files import write_private

    try:
        write_private(path, json.dumps(data, indent=1) + "\n")  # 0600, as everything in the state directory
    except OSError:
        return False
    return True
