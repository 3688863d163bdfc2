"""Check an AWS answer, as it came over the wire, against botocore's output shape.

botocore's parsers keep only the members a shape names and coerce what they read, so a parsed response hides an
emulator that sends extra fields, strings for numbers or ISO dates where AWS sends epoch seconds. `Recorder`
keeps the raw body of every successful call a client makes; `problems` walks it against the output shape:
every member is in the model, every required member is there, and each value has the model's type (enum values
included). JSON carries timestamps as epoch seconds (the protocol's default `unixTimestamp`) and blobs as
base64 text; Smithy RPC v2 CBOR carries timestamps as tag 1 (decoded to `datetime`) and blobs as byte strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tui.emulator.protocols import CBOR_CONTENT_TYPE

_NUMBER = (int, float)


def problems(value: Any, shape: Any, path: str = "$", cbor: bool = False) -> list[str]:
    """What in `value` disagrees with `shape` (a botocore Shape); empty when nothing does."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a structure"]
        out = [f"{path}.{k}: not in {shape.name}" for k in value if k not in shape.members]
        out += [f"{path}.{k}: required by {shape.name}, missing" for k in shape.required_members if k not in value]
        for key, item in value.items():
            if key in shape.members and item is not None:
                out += problems(item, shape.members[key], f"{path}.{key}", cbor)
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        return [p for i, item in enumerate(value) for p in problems(item, shape.member, f"{path}[{i}]", cbor)]
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a map"]
        out = []
        for key, item in value.items():
            out += problems(key, shape.key, f"{path}<key {key!r}>", cbor)
            out += problems(item, shape.value, f"{path}[{key!r}]", cbor)
        return out
    return _scalar(value, shape, path, cbor)


def _scalar(value: Any, shape: Any, path: str, cbor: bool) -> list[str]:
    kind = shape.type_name
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: {value!r} is not a string"]
        enum = shape.metadata.get("enum")
        return [f"{path}: {value!r} is not one of {shape.name} {enum}"] if enum and value not in enum else []
    if kind in ("integer", "long"):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: {value!r} is not an {kind}"]
    if kind in ("double", "float"):
        ok = isinstance(value, _NUMBER) and not isinstance(value, bool)
        return [] if ok else [f"{path}: {value!r} is not a {kind}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: {value!r} is not a boolean"]
    if kind == "timestamp":
        if cbor:
            return [] if isinstance(value, datetime) else [f"{path}: {value!r} is not a CBOR timestamp (tag 1)"]
        fmt = shape.serialization.get("timestampFormat", "unixTimestamp")
        ok = isinstance(value, str) if fmt != "unixTimestamp" else isinstance(value, _NUMBER)
        return [] if ok and not isinstance(value, bool) else [f"{path}: {value!r} is not a {fmt} timestamp"]
    if kind == "blob":
        ok = isinstance(value, bytes) if cbor else isinstance(value, str)
        return [] if ok else [f"{path}: {value!r} is not a blob"]
    return [f"{path}: unchecked shape type {kind}"]


@dataclass
class Call:
    service: str
    operation: str
    body: Any
    cbor: bool
    output_shape: Any


@dataclass
class Recorder:
    """Keeps the raw, decoded body of every successful call of the clients it is attached to."""

    calls: list[Call] = field(default_factory=list)

    def attach(self, client: Any) -> Any:
        client.meta.events.register("after-call.*.*", self._record)
        return client

    def _record(self, http_response: Any, model: Any, **_: Any) -> None:
        if http_response.status_code >= 300:
            return
        raw = http_response.content or b""
        cbor = http_response.headers.get("Content-Type", "").startswith(CBOR_CONTENT_TYPE)
        if cbor:
            import cbor2

            body = cbor2.loads(raw) if raw else {}
        else:
            body = json.loads(raw) if raw.strip() else {}
        service = model.service_model.service_name
        self.calls.append(Call(service, model.name, body, cbor, model.output_shape))

    def problems(self) -> list[str]:
        out = []
        for call in self.calls:
            if call.output_shape is None:
                if call.body not in ({}, None):
                    out.append(f"{call.service}.{call.operation}: a body where the model has no output")
                continue
            where = f"{call.service}.{call.operation}"
            out += [f"{where} {p}" for p in problems(call.body, call.output_shape, "$", call.cbor)]
        return out

    def operations(self) -> set[tuple[str, str]]:
        return {(c.service, c.operation) for c in self.calls}
