"""Every botocore failure becomes a domain error with one sentence; the right class drives the UI badges."""

from __future__ import annotations

import pytest
from botocore import exceptions as bx

from tui.aws.errors import aws_errors, translate
from tui.domain.errors import AccessDenied, CredentialsError, InvalidRequest, NotFound, Throttled, Unreachable


def _client_error(code: str, message: str = "", operation: str = "GetPipelineState") -> bx.ClientError:
    return bx.ClientError({"Error": {"Code": code, "Message": message}}, operation)


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (_client_error("ThrottlingException", "Rate exceeded"), Throttled),
        (_client_error("Throttling"), Throttled),
        (_client_error("AccessDeniedException", "not authorized"), AccessDenied),
        (
            _client_error("ExpiredTokenException", "The security token included in the request is expired"),
            CredentialsError,
        ),
        (_client_error("UnrecognizedClientException"), CredentialsError),
        (_client_error("PipelineNotFoundException", "Account '1' does not have a pipeline with name 'x'"), NotFound),
        (_client_error("StageNotRetryableException", "Stage is not retryable"), InvalidRequest),
        (bx.EndpointConnectionError(endpoint_url="https://codepipeline.us-east-1.amazonaws.com"), Unreachable),
        (bx.ConnectionClosedError(endpoint_url="http://127.0.0.1:4566"), Unreachable),
        (bx.ReadTimeoutError(endpoint_url="http://127.0.0.1:4566"), Unreachable),
        (bx.ConnectTimeoutError(endpoint_url="http://127.0.0.1:4566"), Unreachable),
        (bx.NoCredentialsError(), CredentialsError),
        (bx.NoRegionError(), CredentialsError),
    ],
)
def test_translate_picks_the_domain_error(exc: Exception, kind: type) -> None:
    err = translate(exc)
    assert isinstance(err, kind)
    assert err.sentence.endswith((".", "retrying.", "retry."))
    assert "Traceback" not in err.sentence


def test_access_denied_names_the_permission_from_the_message() -> None:
    exc = _client_error(
        "AccessDeniedException",
        "User: arn:aws:iam::1:user/bob is not authorized to perform: codebuild:BatchGetBuilds on resource: x",
        "BatchGetBuilds",
    )
    err = translate(exc)
    assert isinstance(err, AccessDenied)
    assert err.permission == "codebuild:BatchGetBuilds"
    assert "codebuild:BatchGetBuilds" in err.sentence


def test_access_denied_without_a_permission_in_the_message_uses_the_service_and_operation() -> None:
    with pytest.raises(AccessDenied) as caught, aws_errors("logs"):
        raise _client_error("AccessDeniedException", "", "GetLogEvents")
    assert caught.value.permission == "logs:GetLogEvents"


def test_expired_credentials_name_the_fixing_command_for_the_profile() -> None:
    err = translate(_client_error("ExpiredTokenException"), profile="prod")
    assert "aws sso login --profile prod" in err.sentence


def test_echoed_values_are_capped_and_cleaned() -> None:
    huge = "p" * 5_000_000
    err = translate(bx.ProfileNotFound(profile=huge), profile=huge)
    assert len(err.sentence) < 400 and "…" in err.sentence
    hostile = bx.ClientError(
        {"Error": {"Code": "ValidationException", "Message": "bad \x1b]52;c;Y3VybA==\x07name\x1b[2J " + "x" * 1000}},
        "GetPipeline",
    )
    text = translate(hostile).sentence
    assert "\x1b" not in text and "\x07" not in text and len(text) <= 301 and text.startswith("bad name")


def test_an_html_error_page_is_one_sentence() -> None:
    page = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>" + "x" * 9000
    err = translate(bx.ClientError({"Error": {"Code": "500", "Message": page}}, "ListPipelines"))
    assert err.sentence == "The endpoint answered with a web page (500 Internal Server Error), not AWS's API."
