"""tui.aws.session.new_session: every session of the process reads each service model once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from botocore.loaders import JSONFileLoader

from tui.aws import session as aws_session
from tui.aws.session import new_session

KEYS = {"aws_access_key_id": "x", "aws_secret_access_key": "y"}
REGIONS = ("us-east-1", "eu-west-1", "ap-south-1")


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The model files botocore reads from now on."""
    reads: list[str] = []
    original = JSONFileLoader.load_file

    def load_file(self: Any, file_path: str) -> Any:
        reads.append(file_path)
        return original(self, file_path)

    monkeypatch.setattr(JSONFileLoader, "load_file", load_file)
    return reads


@pytest.fixture(autouse=True)
def _no_aws_config_of_the_users(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ~/.aws/config (its data_path would pick another loader than the one checked) and no AWS_DATA_PATH."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.delenv("AWS_DATA_PATH", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


def test_a_new_session_reads_no_model_again(monkeypatch: pytest.MonkeyPatch) -> None:
    new_session(region_name="eu-west-1", **KEYS).client("codepipeline")
    paths = list(aws_session._shared_loader(None).search_paths)
    reads = _reads(monkeypatch)
    clients = [new_session(region_name=region, **KEYS).client("codepipeline") for region in REGIONS]
    assert reads == []
    assert [c.meta.region_name for c in clients] == list(REGIONS)  # each session its own region still
    assert aws_session._shared_loader(None).search_paths == paths  # boto3 appends its own path for each session


def test_another_data_path_gets_its_own_loader(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    reads = _reads(monkeypatch)
    new_session(**KEYS).client("sts")
    assert reads  # not the default loader's cache: this path may hold other models
    assert str(tmp_path) in aws_session._shared_loader(str(tmp_path)).search_paths
