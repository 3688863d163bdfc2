"""Files on the user's disk (issue 22, Why 8): what pipeline-tui writes is the user's alone (0600, folders 0700),
and a FIFO, a device or a folder where a file is read never blocks a command."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui.services.files import NotARegularFile, open_private, private_dir, read_regular, write_private
from tui.services.standalone_record import FILE_NAME, StandaloneRecord, remember, remembered

posix = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix
def test_written_files_are_0600_even_over_a_0644_one(tmp_path: Path) -> None:
    path = tmp_path / "state" / "new" / "incident.md"
    write_private(path, "one")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700 and path.read_text() == "one"
    path.chmod(0o644)
    write_private(path, "two")
    assert mode(path) == 0o600 and path.read_text() == "two"
    assert [p.name for p in path.parent.iterdir()] == ["incident.md"]  # no temp file left behind


@posix
def test_a_streamed_file_is_0600_even_over_a_0644_one_and_never_follows_a_symlink(tmp_path: Path) -> None:
    path = tmp_path / "build.log"
    path.write_text("old")
    path.chmod(0o644)
    with open_private(path) as out:
        out.write("new\n")
    assert mode(path) == 0o600 and path.read_text() == "new\n"
    target = tmp_path / "elsewhere"
    target.write_text("theirs")
    (tmp_path / "planted.log").symlink_to(target)
    with pytest.raises(OSError):
        open_private(tmp_path / "planted.log")
    assert target.read_text() == "theirs"


@posix
def test_the_standalone_record_is_0600(tmp_path: Path) -> None:
    record = StandaloneRecord("proj:0123abcd-0000", "proj", "Build", "Web", datetime.now(UTC))
    assert remember(tmp_path / "state", "my-site", record)
    assert mode(tmp_path / "state" / FILE_NAME) == 0o600


@posix
def test_a_fifo_or_a_device_is_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFile) as info:
        read_regular(fifo)  # reading would wait for a writer for ever
    assert info.value.kind == "a FIFO (named pipe)"
    with pytest.raises(NotARegularFile) as info:
        read_regular(Path("/dev/zero"))  # reading would never end
    assert info.value.kind == "a character device"
    with pytest.raises(NotARegularFile):
        read_regular(private_dir(tmp_path / "folder"))
    os.replace(fifo, tmp_path / FILE_NAME)
    assert remembered(tmp_path, "my-site", datetime.now(UTC)) == []  # the record's reader does not block either
