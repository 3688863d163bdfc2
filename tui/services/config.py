"""Non-secret settings in TOML, written atomically, with a schema version. Never holds the token."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from tui.domain.errors import ConfigError

SCHEMA_VERSION = 1
APP_NAME = "pipeline-tui"
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
_FIX = "Fix it by hand or run `pipeline-tui setup` again."
_TOKEN_LIKE = re.compile(r"(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})")


def _shown(value: object) -> str:
    """A value for an error message: numbers and booleans as written, anything else by its TOML type only."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return repr(value)
    names: dict[type, str] = {str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), f"a {type(value).__name__}")


def _key(name: str) -> str:
    """A key of the user's file for a message: printable, bounded."""
    from tui.domain.text import capped

    return capped(name, 60)


def looks_like_token(text: str) -> bool:
    return bool(_TOKEN_LIKE.search(text))


def default_config_path() -> Path:
    """``$PIPELINE_TUI_CONFIG``, else the platform's user config dir (``$XDG_CONFIG_HOME/pipeline-tui``)."""
    env = os.environ.get("PIPELINE_TUI_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


# Keys whose default is None but whose type is not a string.
_TYPED: dict[str, type] = {"infra_exports": list, "infra_artifacts": bool, "web_variables": list}


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
    # Existing CodeBuild projects the pipeline references instead of creating its own (never modified).
    infra_project: str | None = None
    web_project: str | None = None
    # What the infra buildspec was found to do (the wizard's buildspec checks; None: not checked, assume the
    # README's example: it exports INFRA_OUTPUTS' names and has an ``artifacts:`` section).
    infra_exports: list[str] | None = None
    infra_artifacts: bool | None = None
    # The environment variables the web buildspec reads (None: not known, so it gets every exported one).
    web_variables: list[str] | None = None
    # Artifacts CodePipeline writes are expired (current versions) after this many days.
    artifact_expiration_days: int = 90
    # The dashboard's Textual theme (None: --theme, else the last one chosen at run time, else the default).
    theme: str | None = None
    # The deployed site (`verify`): its URL (None: the infra build's site_url output) and a regular expression
    # finding the commit id it serves in a response header line or the page (None: look for the commit itself).
    site_url: str | None = None
    site_marker: str | None = None
    schema_version: int = SCHEMA_VERSION

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "config") -> AppConfig:
        known = {f.name: f for f in fields(cls)}
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ConfigError(
                f"{source}: unknown key '{_key(unknown[0])}'.", hint="Remove it, then run setup again.", code="not-ours"
            )
        version = data.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise ConfigError(
                f"{source}: schema_version {_shown(version)} is not supported (expected {SCHEMA_VERSION}).",
                hint="Move it aside and run `pipeline-tui setup` to write a new one.",
                code="not-ours",
            )
        defaults = cls()
        values: dict[str, Any] = {}
        for name, value in data.items():
            expected = _TYPED.get(name) or (
                type(getattr(defaults, name)) if getattr(defaults, name) is not None else str
            )
            if expected is bool and not isinstance(value, bool):
                raise ConfigError(f"{source}: '{name}' must be true or false, not {_shown(value)}.")
            if expected is list and not (isinstance(value, list) and all(isinstance(x, str) for x in value)):
                raise ConfigError(f"{source}: '{name}' must be a list of strings, not {_shown(value)}.")
            if expected is int and (not isinstance(value, int) or isinstance(value, bool)):
                raise ConfigError(f"{source}: '{name}' must be a whole number, not {_shown(value)}.")
            if name == "schema_version":
                continue
            if expected is str and not isinstance(value, str):
                raise ConfigError(f"{source}: '{name}' must be a string, not {_shown(value)}.")
            values[name] = value if value != "" or expected is str else None
        config = cls(**values)
        config.validate(source=source)
        return config

    def validate(self, *, source: str = "config") -> None:
        """Check every set value; raise ConfigError naming the key (never echoing a string value)."""
        from tui.services import validators as v

        checks: list[tuple[str, Any, Any]] = [
            ("pipeline_name", self.pipeline_name, lambda x: v.validate_pipeline_name(x, self.aws_account_id)),
            ("repo", self.repo, v.normalise_repo),
            ("branch", self.branch, v.validate_branch),
            ("infra_buildspec", self.infra_buildspec, v.validate_buildspec_path),
            ("web_buildspec", self.web_buildspec, v.validate_buildspec_path),
            ("github_api_url", self.github_api_url, v.validate_api_url),
            ("aws_region", self.aws_region, v.validate_region),
            ("aws_account_id", self.aws_account_id, v.validate_account_id),
            ("infra_policy_arn", self.infra_policy_arn, v.validate_policy_arn),
        ]
        for key, value, check in checks:
            if not value:
                continue
            result = check(value)
            if not result.ok:
                raise ConfigError(f"{source}: '{key}' is invalid: {result.error}", hint=_FIX)
            if key == "repo" and result.value != value:
                raise ConfigError(f"{source}: 'repo' must be written as owner/name.", hint=_FIX)
        if not self.github_host or any(c in self.github_host for c in "/ :@"):
            raise ConfigError(f"{source}: 'github_host' must be a host name such as github.com.", hint=_FIX)
        for key in ("kms_key_arn", "connection_arn"):
            value = getattr(self, key)
            if value is not None and not value.startswith("arn:"):
                raise ConfigError(f"{source}: '{key}' must be an ARN (arn:aws:...).", hint=_FIX)
        if not 1 <= self.artifact_expiration_days <= 3650:
            raise ConfigError(f"{source}: 'artifact_expiration_days' must be between 1 and 3650.", hint=_FIX)
        for key in ("infra_project", "web_project"):
            value = getattr(self, key)
            if value is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{1,254}", value):
                raise ConfigError(f"{source}: '{key}' must be a CodeBuild project name.", hint=_FIX)
        for key in ("infra_exports", "web_variables"):
            if any(not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(n)) for n in getattr(self, key) or []):
                raise ConfigError(f"{source}: '{key}' holds a name that is not a variable name.", hint=_FIX)
        if self.site_url is not None and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", self.site_url):
            raise ConfigError(f"{source}: 'site_url' must be an https:// address.", hint=_FIX)
        if self.site_marker is not None:
            try:
                re.compile(self.site_marker)
            except (re.error, RecursionError, OverflowError):
                raise ConfigError(f"{source}: 'site_marker' is not a valid regular expression.", hint=_FIX) from None
        if self.log_retention_days not in LOG_RETENTION_DAYS:
            raise ConfigError(
                f"{source}: 'log_retention_days' must be one of CloudWatch's values "
                f"({', '.join(map(str, LOG_RETENTION_DAYS))}).",
                hint=_FIX,
            )
        for key, value in self.to_dict().items():
            if isinstance(value, str) and looks_like_token(value):
                raise ConfigError(f"{source}: '{key}' looks like a GitHub token; tokens belong in the keyring only.")

    def to_dict(self) -> dict[str, Any]:
        # TOML has no null: leave unset optional keys out.
        return {k: v for k, v in asdict(self).items() if v is not None}


def load_config(path: Path) -> AppConfig | None:
    """The saved config, or ``None`` if there is none yet. A broken file raises ConfigError naming the key; one
    that cannot be read as a config at all has a ``code`` (see :data:`UNREADABLE`). A FIFO or a device in its
    place is refused before anything is read from it (reading would block, or never end)."""
    from tui.services.files import NotARegularFile, read_regular

    try:
        raw = read_regular(path)
    except (FileNotFoundError, NotADirectoryError):  # no file there (nor a folder to hold one)
        return None
    except NotARegularFile as exc:
        raise ConfigError(f"{path} is {exc.kind}, not a config file.", hint=_FIX, code="not-a-file") from None
    except OSError as exc:  # a symlink loop holds no settings: the one unreadable file setup may replace
        code = "symlink-loop" if exc.errno == errno.ELOOP else "unreadable"
        raise ConfigError(f"Cannot read {path}: {exc.strerror}.", code=code) from None
    import tomllib  # here, not at the top: most starts have no config file to parse (the first frame waits)

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML (not UTF-8 text at byte {exc.start}).", hint=_FIX, code="not-toml"
        ) from None
    except tomllib.TOMLDecodeError as exc:  # its message ends "(at line L, column C)"
        raise ConfigError(f"{path} is not valid TOML ({exc}).", hint=_FIX, code="not-toml") from None
    return AppConfig.from_dict(data, source=str(path))


#: ConfigError codes for a file that is not a pipeline-tui config at all (as opposed to one with a bad value):
#: setup never replaces such a file, as every setting the user wrote in it would be lost.
UNREADABLE = frozenset({"not-a-file", "unreadable", "not-toml", "not-ours"})


def unreplaceable(path: Path) -> ConfigError | None:
    """Why a command that writes the config must not replace the file at ``path`` (one sentence naming the
    file, and the line and column of a TOML syntax error), or None: there is none, or it is a config."""
    try:
        load_config(path)
    except ConfigError as exc:
        if exc.code in UNREADABLE:
            return ConfigError(
                f"{exc.message.rstrip('.')}: pipeline-tui will not replace it.",
                hint="Fix or move the file, or pass --config PATH, then run setup again.",
                code=exc.code,
            )
    return None


TEMP_PREFIX = ".pipeline-tui-config-"  # ours alone: the folder may be shared (dotfiles) and hold others' files
STALE_AFTER_SECONDS = 3600  # an interrupted write's temp file; a live one is gone within milliseconds


def _remove_stale_temp_files(folder: Path) -> None:
    """Temp files left by writes that were killed (kill -9, power loss) before their rename."""
    import time

    for leftover in folder.glob(f"{TEMP_PREFIX}*.toml"):
        try:
            if time.time() - leftover.stat().st_mtime > STALE_AFTER_SECONDS:
                leftover.unlink()
        except OSError:
            pass


def save_config(config: AppConfig, path: Path) -> None:
    """Write atomically: a temp file in the same directory, fsync, then rename over the old one."""
    import tomli_w

    config.validate(source="config")
    refused = unreplaceable(path)
    if refused is not None:
        raise refused
    # A symlinked config (dotfiles repos) is written through to its target, not replaced by a regular file.
    path = Path(os.path.realpath(path)) if path.is_symlink() else path  # a symlink loop stays as it is
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temp_files(path.parent)
    payload = tomli_w.dumps(config.to_dict()).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # mkstemp's mode already; kept for the file systems that ignore it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
