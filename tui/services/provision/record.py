"""What provisioning remembers on this machine, per pipeline, account and region: one JSON file (0600) in the
user's state directory, ``provision/<account>-<region>-<pipeline>.json``. Its one owner is :class:`Record`.

* **Intents**: before any create, the resource (kind, name, account, region, time) is written down. A create
  interrupted between its call and its tags (SIGINT or SIGTERM right after CreateBucket) leaves an untagged
  resource that the next ``provision`` recognises as its own and completes, and ``destroy`` removes. An intent
  is dropped once the resource carries our tags, once AWS answered the create with an error, or when the
  resource is found absent.
* **Adoptions**: the settings an adopted resource had before ``provision --adopt`` changed them, so that
  ``destroy`` can give them back (``adoption.py``).

A file that cannot be read is treated as empty (a damaged file must not stop provisioning); writes are atomic.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DIR_NAME = "provision"


def record_dir() -> Path:
    from tui.services.standalone_record import state_dir

    return state_dir() / DIR_NAME


def record_stem(pipeline: str, account: str, region: str) -> str:
    """File name stem; pipeline names, account ids and regions hold only characters safe in a file name."""
    return f"{account}-{region}-{pipeline}"


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` atomically to ``path`` readable by the user alone (0600; Windows ignores the bits)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(OSError):
        os.chmod(path.parent, 0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


class Record:
    """The intents and adoptions of one pipeline in one account and region."""

    def __init__(self, pipeline: str, account: str, region: str, directory: Path | None = None) -> None:
        self.pipeline, self.account, self.region = pipeline, account, region
        self.path = (directory or record_dir()) / f"{record_stem(pipeline, account, region)}.json"

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        if not data.get("intents") and not data.get("adopted"):
            with suppress(FileNotFoundError):
                self.path.unlink()
            return
        write_private(self.path, json.dumps(data, indent=1, sort_keys=True))

    @contextmanager
    def _editing(self) -> Iterator[dict[str, Any]]:
        data = self._load()
        yield data
        self._save(data)

    # intents -----------------------------------------------------------------------------------------------------

    def _intents(self, data: dict[str, Any]) -> dict[str, Any]:
        intents = data.get("intents")
        return intents if isinstance(intents, dict) else {}

    def intend(self, kind: str, name: str) -> None:
        """Written before the create call: what, where and when."""
        with self._editing() as data:
            intents = self._intents(data)
            intents[f"{kind}:{name}"] = {
                "kind": kind,
                "name": name,
                "account": self.account,
                "region": self.region,
                "time": now_text(),
            }
            data["intents"] = intents

    def intended(self, kind: str, name: str) -> bool:
        """Did a create of ours start for this resource (and not finish with our tags on it)?"""
        entry = self._intents(self._load()).get(f"{kind}:{name}")
        return isinstance(entry, dict) and (entry.get("account"), entry.get("region")) == (self.account, self.region)

    def forget(self, kind: str, name: str) -> None:
        if not self.intended(kind, name):
            return
        with self._editing() as data:
            self._intents(data).pop(f"{kind}:{name}", None)

    # adoptions ---------------------------------------------------------------------------------------------------

    def adopted(self, kind: str, name: str) -> dict[str, Any] | None:
        """The settings the resource had before it was adopted, as recorded; None when none were."""
        adopted = self._load().get("adopted")
        entry = adopted.get(f"{kind}:{name}") if isinstance(adopted, dict) else None
        return entry if isinstance(entry, dict) else None

    def remember_adoption(self, kind: str, name: str, original: dict[str, Any]) -> None:
        """Kept from the first adoption on: a later provision must not overwrite the original with ours."""
        if self.adopted(kind, name) is not None:
            return
        with self._editing() as data:
            found = data.get("adopted")
            adopted: dict[str, Any] = found if isinstance(found, dict) else {}
            adopted[f"{kind}:{name}"] = {"time": now_text(), "original": original}
            data["adopted"] = adopted

    def forget_adoption(self, kind: str, name: str) -> None:
        with self._editing() as data:
            adopted = data.get("adopted")
            if isinstance(adopted, dict):
                adopted.pop(f"{kind}:{name}", None)
