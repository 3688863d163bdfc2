"""The record of the standalone builds the user started (tui/services/standalone_record.py): per pipeline, the
newest 20, those of the last 24 h shown; a damaged or hand-edited file yields only well-formed records."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tui.services.standalone_record import FILE_NAME, KEEP, StandaloneRecord, remember, remembered

NOW = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


def _record(i: int, ago: timedelta = timedelta(0)) -> StandaloneRecord:
    build_id = f"site-web:{i:08d}-0000-4000-8000-000000000000"
    return StandaloneRecord(build_id, "site-web", "DeployWebApplication", "DeployWeb", NOW - ago)


def test_records_are_kept_per_pipeline_newest_last_and_bounded(tmp_path: Path) -> None:
    for i in range(KEEP + 5):
        assert remember(tmp_path, "site", _record(i, timedelta(minutes=KEEP + 5 - i)))
    remember(tmp_path, "other", _record(99))
    shown = remembered(tmp_path, "site", NOW)
    assert [r.build_id for r in shown] == [_record(i).build_id for i in range(5, KEEP + 5)]
    assert [r.build_id for r in remembered(tmp_path, "other", NOW)] == [_record(99).build_id]
    assert shown[-1].short_id == "00000024" and shown[-1].project == "site-web"


def test_only_the_last_24_hours_are_shown_and_a_build_is_recorded_once(tmp_path: Path) -> None:
    remember(tmp_path, "site", _record(1, timedelta(hours=25)))
    remember(tmp_path, "site", _record(2, timedelta(hours=2)))
    remember(tmp_path, "site", _record(2, timedelta(hours=2)))
    assert [r.build_id for r in remembered(tmp_path, "site", NOW)] == [_record(2).build_id]


def test_an_unwritable_directory_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert remember(blocker / "dir", "site", _record(1)) is False
    assert remembered(blocker / "dir", "site", NOW) == []


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)
    )
)
def test_a_damaged_file_gives_only_well_formed_records(tmp_path_factory: object, data: object) -> None:
    directory = tmp_path_factory.mktemp("damaged")  # type: ignore[attr-defined]
    good = _record(7).to_json()
    (directory / FILE_NAME).write_text(json.dumps({"site": [data, good, {**good, "build_id": "x; rm -rf"}]}))
    assert [r.build_id for r in remembered(directory, "site", NOW)] == [good["build_id"]]
    (directory / FILE_NAME).write_text(json.dumps(data))
    assert all(isinstance(r, StandaloneRecord) for r in remembered(directory, "site", NOW))


def test_the_key_names_account_region_and_endpoint(tmp_path: Path) -> None:
    """A standalone build recorded against one endpoint does not show on a same-named pipeline elsewhere."""
    from tui.aws.session import AwsSettings
    from tui.services.config import AppConfig, save_config
    from tui.services.options import Options
    from tui.services.standalone_record import record_key

    config = tmp_path / "config.toml"
    save_config(AppConfig(pipeline_name="site", repo="acme/site", aws_account_id="111122223333"), config)
    here = Options(aws=AwsSettings(region="eu-west-1"), config_path=config)
    keys = {
        record_key(here, "site"),
        record_key(Options(aws=AwsSettings(region="us-east-1"), config_path=config), "site"),
        record_key(
            Options(aws=AwsSettings(region="eu-west-1", endpoint_url="http://127.0.0.1:5000"), config_path=config),
            "site",
        ),
        record_key(Options(aws=AwsSettings(region="eu-west-1"), config_path=tmp_path / "none.toml"), "site"),
    }
    assert len(keys) == 4
    assert record_key(here, "site") == "111122223333/eu-west-1/aws/site"
    remember(tmp_path, record_key(here, "site"), _record(1))
    assert remembered(tmp_path, record_key(here, "site"), NOW)
    for other in keys - {record_key(here, "site")}:
        assert remembered(tmp_path, other, NOW) == []
