"""Where to talk to AWS: one resolution, used by the app's start target, plan/provision and the commands.

The command line's flags and the environment are kept apart in `Options` (`aws` and `aws_env`) so that the
order is decided here, once, field by field: the first source that sets a field wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui.aws.session import AwsSettings

if TYPE_CHECKING:
    from tui.services.config import AppConfig
    from tui.services.options import Options


def _saved(config: AppConfig | None, pipeline: str | None) -> AwsSettings:
    """The configured pipeline's saved profile and region; nothing for another pipeline (--pipeline X)."""
    if config is None or (pipeline and pipeline != config.pipeline_name):
        return AwsSettings()
    return AwsSettings(profile=config.aws_profile, region=config.aws_region)


def resolve_aws_settings(
    options: Options, config: AppConfig | None = None, *, pipeline: str | None = None
) -> AwsSettings:
    """A flag wins; then, for the configured pipeline, its saved profile and region (the config says where
    that pipeline lives: an AWS_REGION exported for other work must not move it); then the environment
    (AWS_PROFILE, AWS_REGION / AWS_DEFAULT_REGION, AWS_ENDPOINT_URL); then boto3's own default (None here).
    ``pipeline``: the pipeline the settings are for (default: the options' --pipeline)."""
    sources = (options.aws, _saved(config, pipeline or options.pipeline), options.aws_env)

    def first(field: str) -> str | None:
        return next((value for s in sources if (value := getattr(s, field))), None)

    return AwsSettings(profile=first("profile"), region=first("region"), endpoint_url=first("endpoint_url"))


def configured(options: Options) -> AppConfig | None:
    """The saved config, or None when there is none or it cannot be read (the caller reports a broken one)."""
    from tui.domain.errors import ConfigError
    from tui.services.config import default_config_path, load_config

    try:
        return load_config(Path(options.config_path or default_config_path()))
    except (ConfigError, OSError):
        return None
