"""Where the app reads: one pipeline (or none yet) and the AWS settings resolved for it, once.

The command line's :class:`~tui.services.options.Options` and the saved config are resolved into a
:class:`Target` when the app starts; nothing changes it afterwards. Opening another pipeline builds a new
one (with the region its overview row was read in, or the settings a just-provisioned config names), and the
screen that shows it gets its own clients for it: a header never says one region while the calls go to another.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tui.aws.session import AwsSettings

if TYPE_CHECKING:
    from tui.services.config import AppConfig
    from tui.services.options import Options


@dataclass(frozen=True, slots=True)
class Target:
    """``pipeline``: the pipeline to show (None: none known yet, the overview lists them); ``aws``: the settings
    resolved for it; ``config``: the saved config as read at start (None: none, or unreadable: ``config_error``)."""

    pipeline: str | None
    aws: AwsSettings
    config: AppConfig | None = None
    demo: bool = False
    read_only: bool = False
    config_error: BaseException | None = field(default=None, compare=False)

    def opened(self, pipeline: str, region: str | None = None) -> Target:
        """``pipeline`` read with these settings, in ``region`` (the overview row's) when given."""
        aws = replace(self.aws, region=region) if region else self.aws
        return replace(self, pipeline=pipeline, aws=aws, config_error=None)

    def where(self, seen_region: str | None = None) -> str:
        """For headers: "profile P · region" (or "demo emulator · region"). ``seen_region``: the region the
        clients report, shown only when the settings name none (boto3's own default then applies)."""
        region = self.aws.region or seen_region
        if self.demo:
            return f"demo emulator · {region or 'us-east-1'}"
        shown = region or "default region"
        return f"profile {self.aws.profile} · {shown}" if self.aws.profile else shown


def target_for(options: Options, config: AppConfig | None = None, *, pipeline: str | None = None) -> Target:
    """The target of ``pipeline`` (default: --pipeline, else ``config``'s), its settings resolved once."""
    from tui.services.settings import resolve_aws_settings

    name = pipeline or options.pipeline or (config.pipeline_name if config is not None else None) or None
    return Target(
        pipeline=name,
        aws=resolve_aws_settings(options, config, pipeline=name),
        config=config,
        demo=options.demo,
        read_only=options.read_only,
    )


def start_target(options: Options) -> Target:
    """The target the app starts with: the saved config (--config, else the default path) read once; a broken one
    is kept as ``config_error``, for the first screen to report (the app still opens --pipeline or the overview)."""
    from tui.services.config import default_config_path, load_config

    config: AppConfig | None = None
    error: BaseException | None = None
    try:
        config = load_config(options.config_path or default_config_path())
    except Exception as exc:  # a broken config must not stop `pipeline-tui` from opening a pipeline
        error = exc
    return replace(target_for(options, config), config_error=error)
