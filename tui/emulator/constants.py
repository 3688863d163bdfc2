"""The emulator's constants, importable without moto or boto3 (the CLI's parser and `--demo` use them)."""

from __future__ import annotations

from tui.emulator.scenarios import SCENARIOS

DEFAULT_PORT = 4566
SCENARIO_NAMES: tuple[str, ...] = tuple(SCENARIOS)
FAKE_ACCESS_KEY = "testing"
# The environment that points the AWS CLI, SDKs or pipeline-tui at a running emulator (besides its URL).
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY,
    "AWS_SECRET_ACCESS_KEY": FAKE_ACCESS_KEY,
    "AWS_DEFAULT_REGION": "us-east-1",
}
