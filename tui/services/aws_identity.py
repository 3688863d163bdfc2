"""Who am I in AWS: the profile/region boto3 would pick, and ``sts:GetCallerIdentity`` for confirmation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tui.aws.errors import aws_errors
from tui.aws.session import DEFAULT_REGION, AwsSettings, Clients, botocore_config
from tui.domain.text import own_remote_text


@dataclass(frozen=True, slots=True)
class CallerIdentity:
    account_id: str
    arn: str
    user_id: str
    profile: str | None
    region: str

    def __post_init__(self) -> None:
        own_remote_text(self)  # STS's answer


@dataclass(frozen=True, slots=True)
class AwsDefaults:
    """What boto3's chain resolves to right now, to prefill the wizard."""

    profile: str | None
    region: str
    profiles: tuple[str, ...]


def aws_defaults(settings: AwsSettings | None = None) -> AwsDefaults:
    import boto3
    import botocore.exceptions as bx

    settings = settings or AwsSettings.from_env()
    try:
        session = boto3.Session(profile_name=settings.profile, region_name=settings.region)
    except bx.ProfileNotFound:
        session = boto3.Session(region_name=settings.region)
    profiles = tuple(sorted(session.available_profiles))
    profile = settings.profile or (session.profile_name if session.profile_name in profiles else None)
    return AwsDefaults(profile, session.region_name or DEFAULT_REGION, profiles)


def fetch_identity(settings: AwsSettings, *, clients: Clients | None = None) -> CallerIdentity:
    """Call ``sts:GetCallerIdentity``; missing or expired credentials raise CredentialsError naming the fix."""
    with aws_errors("sts", profile=settings.profile):
        clients = clients or Clients(settings, config=botocore_config(max_attempts=2))
        reply: dict[str, Any] = clients.client("sts").get_caller_identity()
        region = clients.region
    return CallerIdentity(
        account_id=str(reply["Account"]),
        arn=str(reply["Arn"]),
        user_id=str(reply.get("UserId", "")),
        profile=settings.profile,
        region=region,
    )
