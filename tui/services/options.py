"""What the command line asked for, shared by the TUI and the headless commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.aws.session import AwsSettings


@dataclass(slots=True)
class Options:
    aws: AwsSettings = field(default_factory=AwsSettings)
    config_path: Path | None = None
    pipeline: str | None = None
    github_api_url: str | None = None
    read_only: bool = False
    demo: bool = False
    scenario: str = "happy"
