"""The wire protocols botocore may choose, detected from the request, and the Smithy RPC v2 CBOR bridge.

botocore picks, per client, the first protocol of its own priority list that the service model's
`protocols` lists (`botocore.model.ServiceModel.resolved_protocol`). For CodePipeline, CodeBuild and
CodeConnections the models list `["smithy-rpc-v2-cbor", "json"]`, so a botocore release that prefers CBOR
talks CBOR to the emulator. moto 5.2 only understands the JSON protocol, so a CBOR request is translated
to the JSON one (`X-Amz-Target`, JSON body) before moto sees it, and moto's answer back to CBOR, shaped by
the operation's output model (timestamps as CBOR tag 1, blobs as byte strings). Errors keep AWS's shape in
every protocol: CBOR and JSON carry `__type` and `message`; query and rest-xml carry an XML `<Error>`.

Smithy RPC v2 CBOR: https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
(path `/service/{ServiceName}/operation/{OperationName}`, header `smithy-protocol: rpc-v2-cbor`,
`Content-Type: application/cbor`, errors as a map with `__type`).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from typing import Any

CBOR = "smithy-rpc-v2-cbor"
JSON = "json"
QUERY = "query"
REST_XML = "rest-xml"

CBOR_CONTENT_TYPE = "application/cbor"
_CBOR_PATH = re.compile(r"^/service/(?P<service>[^/]+)/operation/(?P<operation>[^/?]+)")
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/(?P<service>[^/]+)/aws4_request")
REQUEST_ID = "00000000-0000-0000-0000-000000000000"


def _header(headers: Mapping[str, Any], name: str) -> str:
    """A header's value as text, whatever the casing and whether botocore left it as bytes."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def is_cbor(headers: Mapping[str, Any]) -> bool:
    return (
        _header(headers, "smithy-protocol") == "rpc-v2-cbor"
        or _header(headers, "content-type").split(";")[0].strip() == CBOR_CONTENT_TYPE
    )


def request_protocol(headers: Mapping[str, Any], body: bytes | str | None) -> str:
    """The protocol a request speaks, from the request alone (not from a table of services)."""
    if is_cbor(headers):
        return CBOR
    content_type = _header(headers, "content-type").split(";")[0].strip()
    if _header(headers, "x-amz-target") and content_type.startswith("application/x-amz-json-"):
        return JSON
    text = body.decode("latin-1") if isinstance(body, bytes) else (body or "")
    if content_type == "application/x-www-form-urlencoded" and re.search(r"(^|&)Action=", text):
        return QUERY
    return REST_XML


def error_response(protocol: str, status: int, code: str, message: str) -> tuple[int, dict[str, str], bytes]:
    """An AWS error in `protocol`: (status, headers, body)."""
    if protocol == CBOR:
        headers = {"Content-Type": CBOR_CONTENT_TYPE, "smithy-protocol": "rpc-v2-cbor"}
        return status, headers, encode_cbor({"__type": code, "message": message})
    if protocol == JSON:
        body = json.dumps({"__type": code, "message": message}).encode()
        return status, {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}, body
    from xml.sax.saxutils import escape

    if protocol == QUERY:  # https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#operation-error-serialization
        xml = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{escape(code)}</Code><Message>{escape(message)}"
            f"</Message></Error><RequestId>{REQUEST_ID}</RequestId></ErrorResponse>"
        )
    else:  # rest-xml (S3, CloudFront): a bare <Error> element
        xml = (
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{REQUEST_ID}</RequestId></Error>"
        )
    return status, {"Content-Type": "text/xml"}, xml.encode()


# --- CBOR <-> JSON ------------------------------------------------------------------------------------


def encode_cbor(value: Any) -> bytes:
    import cbor2

    return bytes(cbor2.dumps(value, datetime_as_timestamp=True, timezone=UTC))


def _jsonable(value: Any) -> Any:
    """A decoded CBOR request value as the JSON protocol sends it (epoch seconds, base64 blobs)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


@cache
def _service_model(signing_name: str) -> Any:
    import botocore.session

    try:
        return botocore.session.get_session().get_service_model(signing_name)
    except Exception:
        return None


def _output_shape(headers: Mapping[str, Any], operation: str) -> Any:
    scope = _SCOPE.search(_header(headers, "authorization"))
    model = _service_model(scope.group("service")) if scope else None
    if model is None or operation not in model.operation_names:
        return None
    return model.operation_model(operation).output_shape


def _shaped(value: Any, shape: Any) -> Any:
    """A JSON response value as CBOR carries it, following the output shape where there is one."""
    kind = getattr(shape, "type_name", None)
    if isinstance(value, dict):
        if kind == "structure":
            return {k: _shaped(v, shape.members.get(k)) for k, v in value.items()}
        if kind == "map":
            return {k: _shaped(v, shape.value) for k, v in value.items()}
        return {k: _shaped(v, None) for k, v in value.items()}
    if isinstance(value, list):
        member = shape.member if kind == "list" else None
        return [_shaped(v, member) for v in value]
    if kind == "timestamp" and value is not None:
        if isinstance(value, int | float):
            return datetime.fromtimestamp(value, UTC)
        from botocore.utils import parse_timestamp

        return parse_timestamp(value)
    if kind == "blob" and isinstance(value, str):
        return base64.b64decode(value)
    return value


def cbor_request_as_json(path: str, headers: Mapping[str, Any], body: bytes) -> tuple[str, dict[str, str], bytes]:
    """(operation, headers to add, JSON body) for a CBOR request; ValueError when it is not RPC v2."""
    match = _CBOR_PATH.match(path)
    if match is None:
        raise ValueError(f"not a Smithy RPC v2 path: {path}")
    import cbor2

    params = cbor2.loads(body) if body else {}
    operation = match.group("operation")
    added = {
        "X-Amz-Target": f"{match.group('service')}.{operation}",
        "Content-Type": "application/x-amz-json-1.1",
    }
    return operation, added, json.dumps(_jsonable(params)).encode()


def json_response_as_cbor(
    operation: str, request_headers: Mapping[str, Any], headers: Mapping[str, Any], body: bytes
) -> tuple[dict[str, str], bytes]:
    """moto's JSON answer to a translated request, as CBOR (an answer already in CBOR is kept)."""
    out = {k: v for k, v in headers.items() if k.lower() not in ("content-type", "content-length", "x-amzn-errortype")}
    out["Content-Type"] = CBOR_CONTENT_TYPE
    out["smithy-protocol"] = "rpc-v2-cbor"
    if _header(headers, "content-type") == CBOR_CONTENT_TYPE or not body:
        return out, body
    try:
        data = json.loads(body)
    except ValueError:
        data = {"__type": "InternalFailure", "message": body.decode("utf-8", "replace")[:500]}
    if isinstance(data, dict) and "__type" in data:
        return out, encode_cbor({"__type": data["__type"], "message": data.get("message", data.get("Message", ""))})
    return out, encode_cbor(_shaped(data, _output_shape(request_headers, operation)))


# --- where requests enter moto --------------------------------------------------------------------------

_registered = False


def register() -> None:
    """Translate CBOR requests under `mock_aws` (moto's botocore stubber). Idempotent.

    The server translates them in `CborApp` (WSGI), in front of moto's dispatcher."""
    global _registered
    if _registered:
        return
    from botocore.awsrequest import AWSPreparedRequest

    from tui.emulator.moto_compat import BotocoreStubber

    original = BotocoreStubber.process_request

    def process_request(self: BotocoreStubber, request: AWSPreparedRequest) -> Any:
        if not is_cbor(request.headers):
            return original(self, request)
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(request.url)
        body = request.body if isinstance(request.body, bytes) else (request.body or b"")
        try:
            operation, added, json_body = cbor_request_as_json(parts.path, request.headers, body)
        except ValueError:
            return original(self, request)
        headers = type(request.headers)()
        for key, value in request.headers.items():
            # smithy-protocol too: moto 5.2.6 and later route a request carrying it by the CBOR path
            if key.lower() not in ("content-type", "content-length", "smithy-protocol"):
                headers[key] = value
        headers.update(added)
        headers["Content-Length"] = str(len(json_body))
        url = urlunsplit((parts.scheme, parts.netloc, "/", parts.query, ""))
        translated = AWSPreparedRequest(request.method, url, headers, json_body, stream_output=False)
        answer = original(self, translated)
        if answer is None:
            return None
        status, out_headers, out_body = answer
        raw = out_body.encode() if isinstance(out_body, str) else (out_body or b"")
        new_headers, new_body = json_response_as_cbor(operation, request.headers, dict(out_headers), raw)
        return status, new_headers, new_body

    BotocoreStubber.process_request = process_request  # type: ignore[method-assign]
    _registered = True


class CborApp:
    """WSGI middleware: a CBOR request reaches moto as the JSON protocol; the answer goes back as CBOR."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        headers = {key[5:].replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")}
        headers["content-type"] = environ.get("CONTENT_TYPE", "")
        if not is_cbor(headers):
            return self.app(environ, start_response)
        import io

        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        try:
            operation, added, json_body = cbor_request_as_json(environ.get("PATH_INFO", ""), headers, body)
        except ValueError:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.app(environ, start_response)
        environ = {key: value for key, value in environ.items() if key != "HTTP_SMITHY_PROTOCOL"}
        environ.update(
            {
                "PATH_INFO": "/",
                "CONTENT_TYPE": added["Content-Type"],
                "HTTP_X_AMZ_TARGET": added["X-Amz-Target"],
                "CONTENT_LENGTH": str(len(json_body)),
                "wsgi.input": io.BytesIO(json_body),
            }
        )
        captured: dict[str, Any] = {}

        def capture(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, response_headers
            return lambda data: None

        chunks = self.app(environ, capture)
        try:
            raw = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
        if "status" not in captured:  # the connection was dropped (fault injection): nothing to answer
            return []
        new_headers, new_body = json_response_as_cbor(operation, headers, dict(captured["headers"]), raw)
        new_headers["Content-Length"] = str(len(new_body))
        start_response(captured["status"], list(new_headers.items()))
        return [new_body]
