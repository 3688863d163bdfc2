"""Input rules for the setup wizard, the headless `setup` command and the config file.

Every function returns a :class:`Checked`: the normalised value, or one sentence saying what is wrong.
None of them ever puts a token into a message.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from tui.aws.partitions import all_partitions, partition_name
from tui.domain.names import CONNECTION_NAME_MAX, CONNECTION_SUFFIX, PIPELINE_NAME_MAX, Names

TOKEN_LENGTH = 40  # classic: ghp_ and 36 more
FINE_GRAINED_PREFIX = "github_pat_"
FINE_GRAINED_LENGTH = len(FINE_GRAINED_PREFIX) + 82  # 93
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_]")
_QUOTES = "'\"`\u2018\u2019\u201c\u201d"
_KNOWN_PREFIXES = ("github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_")

_PIPELINE_CHARS = re.compile(r"[A-Za-z0-9.@\-_]")
_PROJECT_CHARS = re.compile(r"[A-Za-z0-9\-_]")  # CodeBuild project names


@dataclass(frozen=True, slots=True)
class Checked:
    """The outcome of one check: ``value`` normalised, ``error`` (one sentence) or ``note`` (what we changed)."""

    value: str = field(repr=False)  # may be a token: never in a repr
    error: str | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def describe_char(ch: str) -> str:
    """A name for a character that is not part of any token, safe to show."""
    names = {
        " ": "a space",
        "\n": "a line break",
        "\r": "a carriage return",
        "\t": "a tab",
        '"': "a double quote",
        "'": "a single quote",
        "`": "a backtick",
        "-": "a hyphen",
        ".": "a full stop",
    }
    if ch in names:
        return names[ch]
    if ch in _QUOTES:
        return "a typographic quote"
    if 0xDC80 <= ord(ch) <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape (stdin, argv)
        return f"the byte 0x{ord(ch) - 0xDC00:02X}, which is not valid UTF-8 text"
    if not ch.isascii() or not ch.isprintable():
        name = unicodedata.name(ch, "")
        return f"the character U+{ord(ch):04X}" + (
            f" ({name.lower()})" if name else " (a control or unassigned character)"
        )
    return f"'{ch}'"


def strip_token(raw: str) -> tuple[str, bool]:
    """Remove surrounding whitespace and quotes (any mix, repeated). Returns the rest and whether it changed."""
    value = raw
    while True:
        stripped = value.strip().strip(_QUOTES)
        if stripped == value:
            return value, value != raw
        value = stripped


def validate_token(raw: str) -> Checked:
    """A GitHub personal access token once whitespace and quotes are gone: a classic one (exactly 40 characters of
    ``[A-Za-z0-9_]``) or a fine-grained one (``github_pat_`` and 82 more of them: 93), each checked by its own
    prefix and length."""
    value, changed = strip_token(raw)
    note = "Removed surrounding spaces, line breaks or quotes from the pasted token." if changed else None
    n = len(value)
    if n == 0:
        return Checked("", "Paste a GitHub personal access token (classic, 40 characters, or fine-grained, 93).", note)
    fine = value.startswith(FINE_GRAINED_PREFIX)
    kind, expected = ("fine-grained", FINE_GRAINED_LENGTH) if fine else ("classic", TOKEN_LENGTH)
    bad = next(((i, ch) for i, ch in enumerate(value, 1) if not _TOKEN_CHARS.fullmatch(ch)), None)
    if bad is not None:
        pos, ch = bad
        length = "" if n == expected else f" (and it has {n} characters instead of {expected})"
        return Checked(
            value,
            f"Character {pos} of the token is {describe_char(ch)}{length}: tokens contain only letters, "
            "digits and underscores.",
            note,
        )
    if n > expected:
        return Checked(
            value,
            f"{n} characters, but a {kind} GitHub token has {expected}: {n - expected} too many, "
            "looks like a trailing quote or newline, or two tokens pasted together.",
            note,
        )
    if n < expected:
        return Checked(
            value,
            f"{n} characters, but a {kind} GitHub token has {expected}: {expected - n} missing, "
            "was it cut off while copying?",
            note,
        )
    return Checked(value, None, note)


def mask_token(token: str) -> str:
    """``ghp_…abcd``: the known prefix and the last four characters only."""
    prefix = next((p for p in _KNOWN_PREFIXES if token.startswith(p)), "")
    tail = token[-4:] if len(token) >= len(prefix) + 8 else ""
    return f"{prefix}…{tail}"


_REPO_URL = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?[^/]+/|git@[^:]+:)(?P<path>[^?#]+?)(?:\.git)?/*(?:[?#].*)?$"
)
_OWNER = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})")
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")


def normalise_repo(raw: str) -> Checked:
    """``owner/name``; also accepts a pasted ``https://github.com/owner/name(.git)`` or ``git@…`` URL."""
    text = raw.strip()
    note = None
    match = _REPO_URL.match(text)
    if match:
        text = match.group("path")
        note = "Taken from the pasted URL."
    elif text.endswith(".git"):
        text = text[: -len(".git")]
    text = text.strip("/")
    if not text:
        return Checked("", "Enter the repository as owner/name, for example octo-org/website.")
    parts = text.split("/")
    if len(parts) != 2:
        return Checked(text, "The repository must be owner/name (exactly one '/'), for example octo-org/website.")
    owner, name = parts
    if not _OWNER.fullmatch(owner) or owner.endswith("-"):
        return Checked(text, "The owner may only hold letters, digits, '-' and '_' (up to 39, not starting with '-').")
    if not _REPO_NAME.fullmatch(name) or name in {".", ".."}:
        return Checked(text, "The repository name may only hold letters, digits, '.', '-' and '_' (up to 100).")
    return Checked(f"{owner}/{name}", None, note)


_BRANCH_FORBIDDEN = set(" ~^:?*[\\\x7f")


def validate_branch(raw: str) -> Checked:
    """Git's ref-name rules (``git check-ref-format --branch``), with a reason for each rejection."""
    name = raw.strip()
    if not name:
        return Checked("", "Enter a branch name, or leave it empty for the repository's default branch.")
    if len(name) > 255:
        return Checked(name, f"The branch name is {len(name)} characters; GitHub allows up to 255.")
    for i, ch in enumerate(name, 1):
        if ch in _BRANCH_FORBIDDEN or ord(ch) < 32:
            return Checked(name, f"Branch names cannot contain {describe_char(ch)} (character {i}).")
    problems = [
        (name == "@", "A branch cannot be called '@'."),
        (".." in name, "Branch names cannot contain '..'."),
        ("@{" in name, "Branch names cannot contain '@{'."),
        (
            "//" in name or name.startswith("/") or name.endswith("/"),
            "A branch name cannot start or end with '/' or contain '//'.",
        ),
        (name.endswith("."), "A branch name cannot end with '.'."),
        (name.startswith("-"), "A branch name cannot start with '-'."),
        (
            any(p.startswith(".") or p.endswith(".lock") for p in name.split("/")),
            "No part of a branch name may start with '.' or end with '.lock'.",
        ),
    ]
    for bad, message in problems:
        if bad:
            return Checked(name, message)
    return Checked(name)


def validate_buildspec_path(raw: str, *, label: str = "buildspec") -> Checked:
    path = raw.strip()
    if not path:
        return Checked("", f"Enter the {label} path inside the repository, for example infra/buildspec.yml.")
    if path.startswith("/") or "\\" in path:
        return Checked(path, f"The {label} path must be relative to the repository root, with '/' separators.")
    if any(part in {"", ".", ".."} for part in path.split("/")):
        return Checked(path, f"The {label} path cannot contain empty, '.' or '..' parts.")
    if any(ord(ch) < 32 for ch in path) or len(path) > 1024:
        return Checked(path, f"The {label} path holds control characters or is too long.")
    return Checked(path)


PROJECT_NAME_MAX = 255  # CodeBuild: [A-Za-z0-9][A-Za-z0-9\-_]{1,254}


def validate_project_name(raw: str, *, label: str = "CodeBuild project") -> Checked:
    """An existing CodeBuild project's name, as CodeBuild allows them."""
    name = raw.strip()
    if not name:
        return Checked("", f"Enter the {label}'s name.")
    for i, ch in enumerate(name, 1):
        if not _PROJECT_CHARS.fullmatch(ch) or (i == 1 and ch in "-_"):
            return Checked(
                name,
                f"Character {i} of the {label} name is {describe_char(ch)}: CodeBuild project names hold only "
                "letters, digits, '-' and '_', and start with a letter or digit.",
            )
    if not 2 <= len(name) <= PROJECT_NAME_MAX:
        return Checked(name, f"A CodeBuild project name has 2 to {PROJECT_NAME_MAX} characters.")
    return Checked(name)


def derived_names(name: str, account_id: str | None = None) -> Names:
    """The names provisioning will create for pipeline ``name`` (the bucket only with the account id)."""
    return Names(name, account_id)


def validate_pipeline_name(raw: str, account_id: str | None = None) -> Checked:
    """CodePipeline's ``[A-Za-z0-9.@\\-_]+`` (max 100) and every name derived from it."""
    name = raw.strip()
    if not name:
        return Checked("", "Enter a pipeline name, for example website.")
    for i, ch in enumerate(name, 1):
        if not _PIPELINE_CHARS.fullmatch(ch):
            return Checked(
                name,
                f"Character {i} is {describe_char(ch)}: pipeline names allow only letters, digits, '.', '@', "
                "'-' and '_'.",
            )
    if len(name) > PIPELINE_NAME_MAX:
        return Checked(name, f"The name is {len(name)} characters; CodePipeline allows {PIPELINE_NAME_MAX}.")
    names = derived_names(name, account_id)
    for ch in ".@":
        if ch in name:
            return Checked(
                name,
                f"'{ch}' is allowed in a pipeline name but not in the CodeBuild project {names.infra_project} "
                "derived from it: use letters, digits, '-' and '_'.",
            )
    if not name[0].isalnum():
        return Checked(name, f"The CodeBuild project {names.infra_project} must start with a letter or digit.")
    wanted = f"{name}{CONNECTION_SUFFIX}"  # before Names.connection would cut it to fit
    if len(wanted) > CONNECTION_NAME_MAX:
        return Checked(
            name,
            f"The CodeStar connection name {wanted} would be {len(wanted)} characters; "
            f"the limit is {CONNECTION_NAME_MAX}, so keep the pipeline name to "
            f"{CONNECTION_NAME_MAX - len(CONNECTION_SUFFIX)} characters.",
        )
    lower = name.lower()
    if lower.startswith(("xn--", "sthree-")):
        return Checked(name, "S3 bucket names (derived from the pipeline name) cannot start with 'xn--' or 'sthree-'.")
    return Checked(name)


def suggest_pipeline_name(repo: str) -> str:
    """A valid default from ``owner/name``: the repository name, cleaned and cut to fit the connection name."""
    base = repo.rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", base).strip("-_")
    cleaned = cleaned[: CONNECTION_NAME_MAX - len(CONNECTION_SUFFIX)].strip("-_")
    if not cleaned or cleaned.lower().startswith(("xn--", "sthree-")):
        return "pipeline"
    return cleaned


_REGION = re.compile(r"[a-z]{2,}(-[a-z]+)+-\d{1,2}")  # eu-west-1, us-gov-west-1, eusc-de-east-1, us-isob-east-1
_ACCOUNT = re.compile(r"\d{12}")


@functools.cache
def _policy_arn() -> re.Pattern[str]:
    """A managed policy ARN in any partition botocore knows (tui.aws.partitions)."""
    names = "|".join(re.escape(p.name) for p in sorted(all_partitions(), key=lambda p: -len(p.name)))
    return re.compile(rf"arn:({names}):iam::(aws|\d{{12}}):policy/([\w+=,.@/-]{{1,512}})")


ADMIN_POLICIES = {"AdministratorAccess"}


def validate_region(raw: str) -> Checked:
    region = raw.strip()
    if not _REGION.fullmatch(region):
        return Checked(region, "Enter an AWS region code such as eu-west-1 or us-east-1.")
    return Checked(region)


def validate_account_id(raw: str) -> Checked:
    value = raw.strip()
    if not _ACCOUNT.fullmatch(value):
        return Checked(value, "An AWS account id is 12 digits.")
    return Checked(value)


def example_policy_arn(region: str) -> str:
    """An AWS managed policy's ARN in the region's partition, to show as an example."""
    return f"arn:{partition_name(region)}:iam::aws:policy/PowerUserAccess"


def validate_policy_arn(raw: str) -> Checked:
    """A managed policy ARN; ``note`` carries a warning for AdministratorAccess. Empty means the scoped default."""
    arn = raw.strip()
    if not arn:
        return Checked("", None, "The scoped default policy will be created for the infrastructure build.")
    match = _policy_arn().fullmatch(arn)
    if not match:
        return Checked(arn, "Enter a managed policy ARN such as arn:aws:iam::aws:policy/PowerUserAccess.")
    if match.group(3).rsplit("/", 1)[-1] in ADMIN_POLICIES:
        return Checked(
            arn,
            None,
            "Warning: AdministratorAccess lets every commit to the branch do anything in this AWS account.",
        )
    return Checked(arn)


def validate_api_url(raw: str) -> Checked:
    """An https URL (http only for loopback, so the token never crosses a network in clear text)."""
    from urllib.parse import urlsplit

    from tui.domain.net import is_loopback

    url = raw.strip().rstrip("/")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return Checked(url, "The GitHub API URL is not a valid URL.")
    if parts.scheme not in {"http", "https"} or not host:
        return Checked(url, "The GitHub API URL must start with https://, for example https://api.github.com.")
    if parts.scheme == "http" and not is_loopback(host):
        return Checked(url, "The GitHub API URL must use https (http is only allowed for 127.0.0.1).")
    if parts.username or parts.password or parts.query or parts.fragment:
        return Checked(url, "The GitHub API URL must not hold a user name, password, query or fragment.")
    return Checked(url)


def github_host(api_url: str) -> str:
    """``api.github.com`` -> ``github.com``; an Enterprise ``https://ghe.example.com/api/v3`` -> its host."""
    from urllib.parse import urlsplit

    parts = urlsplit(api_url)
    host = parts.hostname or "github.com"
    if host == "api.github.com":
        return "github.com"
    return host
