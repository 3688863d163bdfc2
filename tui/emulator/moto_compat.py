"""The one module that touches moto: every import from moto's modules, every private name of moto, and the
attributes the emulator hangs on moto's objects. The rest of `tui.emulator` imports moto's names from here.

moto is not a library with a stable internal API: 5.2.6 renamed `CodePipeline._arn/_created/_updated` to public
names, and 5.1.22 lacks `MotoRequestHandler`. So the emulator names every module, class and attribute it uses in
`REQUIRED`, and its entry points (`pipeline-tui emulator`, `--demo`) call `problem()` before serving: a missing
name ends with exit status 2 and one sentence naming the installed moto, the tested versions and the pip command,
never with a 500 on the first call. `tests/emulator/test_moto_compat.py` checks the same list.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

# The moto releases CI ran the whole suite with (the `demo` extra admits exactly these).
TESTED_VERSIONS = ("5.2.5", "5.2.6")
INSTALL_TESTED = f"pip install 'moto[s3,events]=={TESTED_VERSIONS[-1]}'"

# (module, attribute path): every module, class, function and class attribute of moto the emulator reads.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("moto", "mock_aws"),
    ("moto.backend_index", "backend_url_patterns"),
    ("moto.core", "DEFAULT_ACCOUNT_ID"),
    ("moto.core.base_backend", "BackendDict"),
    ("moto.core.base_backend", "BaseBackend"),
    ("moto.core.botocore_stubber", "BotocoreStubber.process_request"),
    ("moto.core.exceptions", "JsonRESTError"),
    ("moto.core.responses", "BaseResponse.call_action"),
    ("moto.core.responses", "BaseResponse._get_action"),
    ("moto.core.responses", "BaseResponse._get_param"),
    ("moto.cloudfront.models", "CloudFrontBackend"),
    ("moto.cloudfront.models", "Distribution"),
    ("moto.cloudfront.models", "Invalidation"),
    ("moto.cloudfront.models", "cloudfront_backends"),
    ("moto.codebuild.models", "CodeBuildBackend"),
    ("moto.codebuild.models", "codebuild_backends"),
    ("moto.codebuild.responses", "CodeBuildResponse.codebuild_backend"),
    ("moto.codebuild.responses", "_validate_required_params_environment"),
    ("moto.codebuild.responses", "_validate_required_params_project_name"),
    ("moto.codebuild.responses", "_validate_required_params_service_role"),
    ("moto.codepipeline.models", "CodePipeline.add_default_values"),
    ("moto.codepipeline.models", "CodePipeline.validate_tags"),
    ("moto.codepipeline.models", "CodePipelineBackend.update_pipeline"),
    ("moto.codepipeline.models", "codepipeline_backends"),
    ("moto.codepipeline.responses", "CodePipelineResponse.codepipeline_backend"),
    ("moto.events.models", "EventsBackend.put_events"),
    ("moto.events.models", "events_backends"),
    ("moto.events.utils", "EventTemplateParser.parse"),
    ("moto.iam.access_control", "IAMPolicy.is_action_permitted"),
    ("moto.iam.access_control", "IAMPolicyStatement.is_action_permitted"),
    ("moto.iam.access_control", "IAMPolicyStatement._check_element_matches"),
    ("moto.iam.access_control", "PermissionResult.NEUTRAL"),
    ("moto.iam.aws_managed_policies", "aws_managed_policies_data"),
    ("moto.iam.exceptions", "NotFoundException"),
    ("moto.iam.models", "AWSManagedPolicy"),
    ("moto.iam.models", "IAMBackend"),
    ("moto.iam.models", "Role"),
    ("moto.iam.models", "iam_backends"),
    ("moto.logs.models", "LogGroup.create_log_stream"),
    ("moto.logs.models", "LogStream.put_log_events"),
    ("moto.logs.models", "LogsBackend.ensure_log_group"),
    ("moto.logs.models", "LogsBackend.ensure_log_stream"),
    ("moto.logs.models", "logs_backends"),
    ("moto.logs.responses", "LogsResponse"),
    ("moto.moto_api._internal.models", "moto_api_backend"),
    ("moto.moto_server.werkzeug_app", "DomainDispatcherApplication"),
    ("moto.moto_server.werkzeug_app", "MotoRequestHandler"),
    ("moto.moto_server.werkzeug_app", "create_backend_app"),
    ("moto.s3.models", "FakeBucket"),
    ("moto.s3.models", "S3Backend"),
    ("moto.s3.models", "s3_backends"),
    ("moto.s3.responses", "S3Response"),
    ("moto.s3.urls", "url_bases"),  # what S3Backend._url_module reloads (cache_per_request_work)
    ("moto.settings", "get_s3_custom_endpoints"),
)
# Attributes moto sets on instances (not visible on the class).
BACKEND_INSTANCE_ATTRIBUTES = ("codebuild_projects", "build_history", "build_metadata_history")
# Each entry lists the attribute's names across the tested releases.
PIPELINE_INSTANCE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "arn": ("arn", "_arn"),  # 5.2.6 / 5.2.5
    "created": ("created", "_created"),
    "updated": ("updated", "_updated"),
}


def installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("moto")
    except PackageNotFoundError:
        return "none"


def _lookup(module: str, path: str) -> bool:
    try:
        found: Any = importlib.import_module(module)
    except ImportError:
        return False
    for part in path.split("."):
        if not hasattr(found, part):
            return False
        found = getattr(found, part)
    return True


def missing() -> list[str]:
    """Each required moto name the installed version lacks, as `module.attribute` (empty when all are there)."""
    gone = [f"{module}.{path}" for module, path in REQUIRED if not _lookup(module, path)]
    if gone:
        return gone
    sample = _sample_pipeline()
    gone = [
        f"moto.codepipeline.models.CodePipeline().{names[0]}"
        for names in PIPELINE_INSTANCE_ATTRIBUTES.values()
        if not any(hasattr(sample, n) for n in names)
    ]
    from moto.codebuild.models import CodeBuildBackend as Backend

    backend = Backend("us-east-1", "123456789012")
    gone += [
        f"moto.codebuild.models.CodeBuildBackend().{name}"
        for name in BACKEND_INSTANCE_ATTRIBUTES
        if not hasattr(backend, name)
    ]
    return gone


def _sample_pipeline() -> Any:
    from moto.codepipeline.models import CodePipeline as Pipeline

    declaration = {"name": "probe", "roleArn": "", "stages": [], "artifactStore": {}}
    return Pipeline("123456789012", "us-east-1", declaration)


def problem() -> str | None:
    """One sentence when the installed moto lacks a name the emulator uses, else None."""
    gone = missing()
    if not gone:
        return None
    return (
        f"The offline AWS emulator cannot run with moto {installed_version()}, which lacks {gone[0]} "
        f"(this release was tested with moto {' and '.join(TESTED_VERSIONS)}): run {INSTALL_TESTED}"
    )


def unavailable(what: str) -> str | None:
    """One sentence when `what` ("pipeline-tui --demo") cannot run the emulator here: the demo extra is not
    installed, or the installed moto lacks a name the emulator uses. None when it can run."""
    from tui.services.extras import demo_missing_sentence

    return demo_missing_sentence(what) or problem()


# ---- the names the emulator imports (a moto without them is reported by problem() before anything is served)
try:
    from moto import backend_index as backend_index
    from moto import mock_aws
    from moto.cloudfront.models import CloudFrontBackend, Distribution, Invalidation, cloudfront_backends
    from moto.codebuild import responses as _codebuild_responses
    from moto.codebuild.models import CodeBuildBackend, codebuild_backends
    from moto.codebuild.responses import CodeBuildResponse
    from moto.codepipeline.models import CodePipeline, CodePipelineBackend, codepipeline_backends
    from moto.codepipeline.responses import CodePipelineResponse
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.core.base_backend import BackendDict, BaseBackend
    from moto.core.botocore_stubber import BotocoreStubber
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import BaseResponse
    from moto.events.models import events_backends
    from moto.iam.access_control import IAMPolicy, IAMPolicyStatement, PermissionResult
    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.exceptions import NotFoundException
    from moto.iam.models import AWSManagedPolicy, IAMBackend, Role, iam_backends
    from moto.logs.models import logs_backends
    from moto.logs.responses import LogsResponse
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from moto.s3.models import FakeBucket, S3Backend, s3_backends
    from moto.s3.responses import S3Response
except ImportError:  # pragma: no cover - problem() names what is missing; the entry points call it first
    pass

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "AWSManagedPolicy",
    "BackendDict",
    "BaseBackend",
    "BaseResponse",
    "BotocoreStubber",
    "CloudFrontBackend",
    "CodeBuildBackend",
    "CodeBuildResponse",
    "CodePipeline",
    "CodePipelineBackend",
    "CodePipelineResponse",
    "Distribution",
    "DomainDispatcherApplication",
    "FakeBucket",
    "IAMBackend",
    "IAMPolicy",
    "IAMPolicyStatement",
    "Invalidation",
    "JsonRESTError",
    "LogsResponse",
    "MotoRequestHandler",
    "NotFoundException",
    "PermissionResult",
    "Role",
    "S3Backend",
    "S3Response",
    "aws_managed_policies_data",
    "backend_index",
    "cloudfront_backends",
    "codebuild_backends",
    "codepipeline_backends",
    "create_backend_app",
    "events_backends",
    "iam_backends",
    "logs_backends",
    "mock_aws",
    "s3_backends",
]


def add_service(name: str, backends: Any, url_pattern: re.Pattern[str]) -> None:
    """Serve a service moto lacks: its backends as module `moto.<name>`, its host pattern first in moto's index."""
    import moto

    module = types.ModuleType(f"moto.{name}")
    setattr(module, f"{name}_backends", backends)
    sys.modules[f"moto.{name}"] = module
    setattr(moto, name, module)
    backend_index.backend_url_patterns.insert(0, (name, url_pattern))


def reset_all() -> None:
    """Every moto backend back to empty (moto's own reset, as its `/moto-api/reset` route does)."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


# ---- private methods of moto's responses and policies


def param(response: BaseResponse, name: str, default: Any = None) -> Any:
    """A request parameter as moto parsed it (JSON body or query string)."""
    return response._get_param(name, default)


def action_of(response: BaseResponse) -> str:
    """The operation name of the request a response object is serving."""
    return response._get_action()


def validate_service_role(account: str, region: str, role: Any) -> None:
    _codebuild_responses._validate_required_params_service_role(account, region, role)


def validate_environment(environment: Any) -> None:
    _codebuild_responses._validate_required_params_environment(environment)


def validate_project_name(name: str) -> None:
    _codebuild_responses._validate_required_params_project_name(name)


def resource_matches(patterns: list[str], resource: str) -> bool:
    """Whether `resource` matches one of the Resource patterns, as moto's policy statements match them."""
    return bool(IAMPolicyStatement({"Resource": patterns})._check_element_matches("Resource", resource))


# ---- attributes of moto's CodePipeline objects that moved between releases


def _pipeline_attribute(pipeline: CodePipeline, key: str) -> Any:
    for name in PIPELINE_INSTANCE_ATTRIBUTES[key]:
        if hasattr(pipeline, name):
            return getattr(pipeline, name)
    raise AttributeError(f"moto {installed_version()} CodePipeline has none of {PIPELINE_INSTANCE_ATTRIBUTES[key]}")


def pipeline_arn(pipeline: CodePipeline) -> str:
    return str(_pipeline_attribute(pipeline, "arn"))


def pipeline_created(pipeline: CodePipeline) -> datetime:
    created: datetime = _pipeline_attribute(pipeline, "created")
    return created


def pipeline_updated(pipeline: CodePipeline) -> datetime:
    updated: datetime = _pipeline_attribute(pipeline, "updated")
    return updated


def set_pipeline_time(pipeline: CodePipeline, key: str, moment: datetime) -> None:
    """Set `created` or `updated` under whichever name the installed moto keeps it."""
    names = PIPELINE_INSTANCE_ATTRIBUTES[key]
    name = next((n for n in names if hasattr(pipeline, n)), names[0])
    setattr(pipeline, name, moment)


# ---- the emulator's own state, kept on moto's objects so that it goes with them when moto resets

T = TypeVar("T")


def extension(owner: Any, key: str, factory: Callable[[], T]) -> T:
    """The emulator's `key` object kept on a moto object (a backend, a pipeline), made by `factory` on first use."""
    attribute = f"_pipeline_tui_{key}"
    found: T | None = getattr(owner, attribute, None)
    if found is None:
        found = factory()
        setattr(owner, attribute, found)
    return found


def has_extension(owner: Any, key: str) -> bool:
    """Whether the emulator keeps a `key` object on this moto object yet."""
    return getattr(owner, f"_pipeline_tui_{key}", None) is not None


# ---- two costs of moto's that every request paid and no answer depends on


def cache_per_request_work() -> None:
    """Called once, by the emulator's ``install()`` (its ``_installed``). The suite's tests spent 6 % of their
    CPU here (289 -> 265-270 s of 2,143 tests):

    - ``S3Backend._url_module`` (private, moto's) reloads ``moto.s3.urls`` on every request moto routes to S3 (its
      ``urls`` property), so that a ``MOTO_S3_CUSTOM_ENDPOINTS`` set later is seen. It now reloads it only when
      that setting differs from the last reload's, under a lock (the server answers on many threads).
    - moto's EventBridge hands each event to each rule target through ``EventTemplateParser.parse``, which builds a
      new JSONPath parser (PLY's tables) for each of the 8 paths of its default input map: ``jsonpath_ng.ext.parse``
      (public; moto imports it at call time) is memoized. A parsed path is only read (``find``)."""
    import functools
    import threading

    from moto import settings

    lock = threading.Lock()
    loaded: list[tuple[str, ...]] = []  # the endpoints of the last reload

    def url_module(self: S3Backend) -> types.ModuleType:
        import moto.s3.urls

        endpoints = tuple(settings.get_s3_custom_endpoints())
        with lock:
            if loaded != [endpoints]:
                importlib.reload(moto.s3.urls)
                loaded[:] = [endpoints]
        return moto.s3.urls

    S3Backend._url_module = property(url_module)  # type: ignore[method-assign,assignment]
    try:
        import jsonpath_ng.ext
    except ImportError:  # pragma: no cover - moto's events extra brings it; without it moto's EventBridge fails
        return
    jsonpath_ng.ext.parse = functools.lru_cache(maxsize=256)(jsonpath_ng.ext.parse)
