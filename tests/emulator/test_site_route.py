"""The emulator serves the deployed site bucket on loopback (`/_pipeline_tui/site/<bucket>/<key>`), and the
infra build's site_url points there while it runs as a server."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import boto3
import pytest

from tui.emulator.codebuild.buildlogs import infra_outputs
from tui.emulator.constants import FAKE_ACCESS_KEY
from tui.emulator.server import EmulatorHandle, reset_emulator, start_in_process
from tui.emulator.state import state


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorHandle]:
    handle = start_in_process()
    yield handle
    handle.stop()
    reset_emulator()


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers["Content-Type"], answer.read()


def test_the_site_bucket_is_served_and_site_url_points_at_it(server: EmulatorHandle) -> None:
    s3 = boto3.client(
        "s3",
        endpoint_url=server.endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=FAKE_ACCESS_KEY,
        aws_secret_access_key=FAKE_ACCESS_KEY,
    )
    s3.create_bucket(Bucket="acme-site-prod")
    s3.put_object(Bucket="acme-site-prod", Key="index.html", Body=b"<h1>acme</h1>")
    s3.put_object(Bucket="acme-site-prod", Key="css/site.css", Body=b"body{}")
    url = infra_outputs("acme-site")["site_url"]
    assert url == f"{server.endpoint_url}/_pipeline_tui/site/acme-site-prod/"
    assert _get(url) == (200, "text/html", b"<h1>acme</h1>")
    assert _get(url + "css/site.css")[:2] == (200, "text/css")
    assert _get(url + "missing.html")[0] == 404
    assert _get(f"{server.endpoint_url}/_pipeline_tui/site/no-such-bucket/")[0] == 404


def test_without_a_server_site_url_is_the_distributions_name() -> None:
    saved, state().site_base_url = state().site_base_url, None
    try:
        assert infra_outputs("acme-site")["site_url"].endswith(".cloudfront.net")
    finally:
        state().site_base_url = saved
