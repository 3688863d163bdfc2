"""The emulator's own failures: a handler that raises answers a 500 that names the file holding the traceback, in
the caller's protocol, and the app says the demo's emulator failed, not AWS."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from tests.support.emulator import Clients
from tui.aws.errors import translate
from tui.domain.errors import EMULATOR_FAILURE, EmulatorFailure
from tui.emulator.moto_compat import CodePipelineResponse

pytestmark = pytest.mark.wire  # about the wire: every protocol, in-process and over HTTP


def _broken(self: object) -> str:
    raise AttributeError("'CodePipeline' object has no attribute '_arn'")


@pytest.fixture
def crash_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PIPELINE_TUI_EMULATOR_CRASH_DIR", str(tmp_path / "crashes"))
    return tmp_path / "crashes"


def test_a_failing_handler_answers_a_500_naming_its_crash_file(
    clients: Clients, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(CodePipelineResponse, "list_pipelines", _broken)
    with pytest.raises(ClientError) as raised:
        clients("codepipeline").list_pipelines()
    error = raised.value.response["Error"]
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert error["Code"] == EMULATOR_FAILURE
    files = list(crash_dir.iterdir())
    assert len(files) == 1 and str(files[0]) in error["Message"]
    text = files[0].read_text()
    assert "codepipeline ListPipelines" in text and "Traceback" in text and "_broken" in text
    if sys.platform != "win32":
        assert stat.S_IMODE(files[0].stat().st_mode) == 0o600

    domain = translate(raised.value)
    assert isinstance(domain, EmulatorFailure)
    assert "emulator (not AWS) failed: AttributeError: 'CodePipeline' object has no attribute '_arn'" in str(domain)
    assert str(files[0]) in str(domain) and "AWS error" not in str(domain)


def test_moto_s_own_aws_errors_are_not_crashes(clients: Clients, crash_dir: Path) -> None:
    with pytest.raises(ClientError) as raised:
        clients("codepipeline").get_pipeline(name="nope")
    assert raised.value.response["Error"]["Code"] == "PipelineNotFoundException"
    assert not crash_dir.exists() or not list(crash_dir.iterdir())
