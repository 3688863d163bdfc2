"""Non-secret settings in TOML, written atomically, with a schema version. Never holds the token."""

from __future__ import annotations

import os
import tempfile
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from tui.domain.errors import ConfigError

SCHEMA_VERSION = 1
APP_NAME = "pipeline-tui"


def default_config_path() -> Path:
    """``$PIPELINE_TUI_CONFIG``, else the platform's user config dir (``$XDG_CONFIG_HOME/pipeline-tui``)."""
    env = os.environ.get("PIPELINE_TUI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(slots=True)
class AppConfig:
    """What the setup wizard saves and provisioning reads."""

    pipeline_name: str = ""
    repo: str = ""  # "owner/name"
    branch: str = "main"
    infra_buildspec: str = "infra/buildspec.yml"
    web_buildspec: str = "web/buildspec.yml"
    github_host: str = "github.com"  # also the keyring user name for the token
    github_api_url: str = "https://api.github.com"
    aws_profile: str | None = None
    aws_region: str = "us-east-1"
    aws_account_id: str | None = None
    infra_policy_arn: str | None = None  # None: the scoped default policy
    kms_key_arn: str | None = None  # None: SSE-S3
    connection_arn: str | None = None  # reuse an existing CodeStar connection
    log_retention_days: int = 30
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> AppConfig:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"{source}: unknown key '{unknown[0]}'.", hint="Remove it or run `pipeline-tui setup` again."
            )
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ConfigError(
                f"{source}: schema_version {version!r} is not supported (expected {SCHEMA_VERSION}).",
                hint="Run `pipeline-tui setup` to write a new one.",
            )
        defaults = cls()
        values: dict[str, Any] = {}
        for name, value in data.items():
            expected = type(getattr(defaults, name)) if getattr(defaults, name) is not None else str
            if expected is int and (not isinstance(value, int) or isinstance(value, bool)):
                raise ConfigError(f"{source}: '{name}' must be a whole number, not {value!r}.")
            if expected is str and not isinstance(value, str):
                raise ConfigError(f"{source}: '{name}' must be a string, not {value!r}.")
            values[name] = value if value != "" or expected is str else None
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        # TOML has no null: leave unset optional keys out.
        return {k: v for k, v in asdict(self).items() if v is not None}


def load_config(path: Path) -> AppConfig | None:
    """The saved config, or ``None`` if there is none yet. A broken file raises ConfigError naming the key."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path} is not valid TOML ({exc}).", hint="Fix it by hand or run `pipeline-tui setup` again."
        ) from None
    return AppConfig.from_dict(data, source=str(path))


def save_config(config: AppConfig, path: Path) -> None:
    """Write atomically: a temp file in the same directory, fsync, then rename over the old one."""
    import tomli_w

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = tomli_w.dumps(config.to_dict()).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
