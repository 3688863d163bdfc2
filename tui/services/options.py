"""What the command line asked for, shared by the TUI and the headless commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui.aws.session import AwsSettings


@dataclass(frozen=True, slots=True)
class Options:
    """``aws`` holds what the command-line flags set, ``aws_env`` what the environment sets; resolve them
    (with the saved config) through :func:`tui.services.settings.resolve_aws_settings`, never by hand.

    Frozen: what the command line asked for never changes; where the app reads is a
    :class:`tui.services.target.Target`, resolved once from these and built anew for another pipeline."""

    aws: AwsSettings = field(default_factory=AwsSettings)
    aws_env: AwsSettings = field(default_factory=AwsSettings)
    config_path: Path | None = None
    pipeline: str | None = None
    github_api_url: str | None = None
    read_only: bool = False
    demo: bool = False
    scenario: str = "happy"
    theme: str | None = None  # --theme NAME
