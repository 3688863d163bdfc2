"""The demo's sample repository (placeholder: the sample-repository work replaces this module)."""

from __future__ import annotations

from pathlib import Path


def sample_repo_dir() -> Path:
    return Path(__file__).parent / "sample_repo"
