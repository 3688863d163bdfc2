"""The files pipeline-tui reads and writes on the user's disk: reading only regular files (a FIFO, a device or a
folder in a file's place never blocks a command), and writing private ones (0600, folders 0700: saved logs,
incident summaries and records can hold build output, account ids and URLs).

POSIX modes only where there are any: on Windows ``os.open``'s mode sets at most the read-only flag and
``os.fchmod`` does not exist; the user's profile folder is private there already.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import TextIO

FILE_MODE = 0o600
DIR_MODE = 0o700
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO for reading would wait for a writer
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotARegularFile(OSError):
    """``path`` is a FIFO, a device, a socket or a folder: ``kind`` says which."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.path, self.kind = path, kind


def kind_of(mode: int) -> str:
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file at ``path`` (symlinks followed). FileNotFoundError when there is none,
    :class:`NotARegularFile` for anything else in its place (checked on the open file, before reading)."""
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotARegularFile(Path(path), kind_of(mode))
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def private_dir(directory: Path) -> Path:
    """``directory`` (and its missing parents) created 0700; an existing one is left as it is."""
    directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    return directory


def write_private(path: Path, text: str) -> None:
    """Replace ``path`` atomically with ``text`` (UTF-8), readable by the user alone."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # mkstemp: 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_private(path: Path) -> TextIO:
    """``path`` opened for writing (UTF-8, truncated), 0600 even when it existed with another mode; a symlink
    in its place is refused (ELOOP) rather than followed."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NOFOLLOW, FILE_MODE)
    if hasattr(os, "fchmod"):
        try:
            os.fchmod(fd, FILE_MODE)
        except OSError:
            os.close(fd)
            raise
    return os.fdopen(fd, "w", encoding="utf-8")
