"""What the tools a buildspec runs print (Terraform, with its colours): scripted output lines."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from tui.emulator.state import state

# ANSI sequences as Terraform prints them when colour is on (CodeBuild logs keep them).
RESET, BOLD, RED, GREEN, YELLOW = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m"

TERRAFORM_VERSION = "1.10.5"
AWS_PROVIDER_VERSION = "5.76.0"


def container_line(ts: float, text: str) -> str:
    """A CodeBuild agent line: ``[Container] 2026/11/26 08:10:01.123456 <text>``."""
    total_micro = int(ts * 1_000_000)
    seconds, micro = divmod(total_micro, 1_000_000)
    return f"[Container] {time.strftime('%Y/%m/%d %H:%M:%S', time.gmtime(seconds))}.{micro:06d} {text}"


@dataclass
class BuildContext:
    """What a log script needs to know about one build."""

    kind: str  # 'infra' | 'web' | 'generic'
    project: str
    build_uuid: str
    env: Mapping[str, str] = field(default_factory=dict)
    role: str = ""  # the project's service role name (what an AccessDenied names), "" when unknown

    @property
    def site(self) -> str:
        for suffix in ("-infra", "-web"):
            if self.project.endswith(suffix):
                return self.project[: -len(suffix)]
        return self.project

    def outputs(self) -> dict[str, str]:
        """This build's Terraform outputs (the site bucket from ``SITE_BUCKET`` when the project sets it)."""
        return infra_outputs(self.site, self.env.get("SITE_BUCKET") or None)

    @property
    def tf_action(self) -> str:
        for key in ("TF_ACTION", "TERRAFORM_ACTION", "ACTION"):
            value = self.env.get(key, "").lower()
            if value in ("plan", "apply", "destroy"):
                return value
        return "apply"

    @property
    def src_dir(self) -> str:
        digits = int(hashlib.sha1(self.build_uuid.encode()).hexdigest()[:8], 16) % 10**9
        return f"/codebuild/output/src{digits}/src"


def infra_outputs(site: str, bucket: str | None = None) -> dict[str, str]:
    """The Terraform outputs of the infra build (exported as pipeline output variables); ``bucket`` is the
    site bucket the build was told to create (``SITE_BUCKET``), else ``<site>-prod``."""
    digest = hashlib.sha1(site.encode()).hexdigest().upper()
    letters = "".join(c if c.isalpha() else chr(ord("A") + int(c)) for c in digest)
    distribution_id = "E" + letters[:13]
    domain = "d" + hashlib.sha1(("cf" + site).encode()).hexdigest()[:13] + ".cloudfront.net"
    bucket = bucket or f"{site}-prod"
    base = state().site_base_url  # the emulator serves the bucket on loopback (tui/emulator/site.py)
    url = f"{base}/{bucket}/" if base else f"https://{domain}"
    return {"bucket_name": bucket, "distribution_id": distribution_id, "site_url": url}


def _tf(text: str, colour: str = "") -> str:
    return f"{RESET}{BOLD}{colour}{text}{RESET}"


def terraform_init() -> tuple[str, ...]:
    return (
        _tf("Initializing the backend..."),
        f"{RESET}{GREEN}",
        'Successfully configured the backend "s3"! Terraform will automatically',
        f"use this backend unless the backend configuration changes.{RESET}",
        _tf("Initializing provider plugins..."),
        '- Finding hashicorp/aws versions matching "~> 5.0"...',
        f"- Installing hashicorp/aws v{AWS_PROVIDER_VERSION}...",
        f"- Installed hashicorp/aws v{AWS_PROVIDER_VERSION} (signed by HashiCorp)",
        "Terraform has created a lock file .terraform.lock.hcl to record the provider",
        "selections it made above.",
        "",
        _tf("Terraform has been successfully initialized!", GREEN),
    )


_RESOURCES = (
    "aws_s3_bucket.site",
    "aws_s3_bucket_public_access_block.site",
    "aws_cloudfront_origin_access_control.site",
    "aws_cloudfront_distribution.site",
    "aws_s3_bucket_policy.site",
)


def terraform_plan(ctx: BuildContext) -> tuple[str, ...]:
    verb, sign, colour = ("destroyed", "-", RED) if ctx.tf_action == "destroy" else ("created", "+", GREEN)
    lines = [
        "",
        "Terraform used the selected providers to generate the following execution",
        "plan. Resource actions are indicated with the following symbols:",
        f"  {colour}{sign}{RESET} {'destroy' if sign == '-' else 'create'}",
        "",
        "Terraform will perform the following actions:",
    ]
    for res in _RESOURCES:
        lines += [
            "",
            f"{BOLD}  # {res}{RESET} will be {verb}",
            f'  {colour}{sign}{RESET} resource "{res.split(".")[0]}" "site" {{',
            f"      {colour}{sign}{RESET} arn    = (known after apply)",
            f"      {colour}{sign}{RESET} id     = (known after apply)",
            "    }",
        ]
    n = len(_RESOURCES)
    counts = f"0 to add, 0 to change, {n} to destroy." if sign == "-" else f"{n} to add, 0 to change, 0 to destroy."
    lines += ["", f"{BOLD}Plan:{RESET} {counts}"]
    if ctx.tf_action != "destroy":
        lines += ["", f"{BOLD}Changes to Outputs:{RESET}"]
        lines += [f"  {GREEN}+{RESET} {k} = (known after apply)" for k in ctx.outputs()]
    lines += ["", "─" * 77, "", "Saved the plan to: tfplan"]
    return tuple(lines)


def terraform_apply(ctx: BuildContext) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(what a successful apply prints, what the BucketAlreadyExists failure prints)."""
    outputs = ctx.outputs()
    bucket = outputs["bucket_name"]
    if ctx.tf_action == "destroy":
        lines = [_tf(f"{r}: Destroying...") for r in reversed(_RESOURCES)]
        lines += [_tf(f"{r}: Destruction complete after 1s") for r in reversed(_RESOURCES)]
        lines += ["", _tf(f"Destroy complete! Resources: {len(_RESOURCES)} destroyed.", GREEN)]
        return tuple(lines), ()
    lines = []
    for i, res in enumerate(_RESOURCES):
        ident = bucket if res.startswith("aws_s3_bucket.") else outputs["distribution_id"]
        lines += [_tf(f"{res}: Creating...")]
        if res.startswith("aws_cloudfront_distribution"):
            lines += [_tf(f"{res}: Still creating... [{s}s elapsed]") for s in (10, 20, 30)]
        lines += [_tf(f"{res}: Creation complete after {i + 1}s [id={ident}]")]
    lines += [
        "",
        _tf(f"Apply complete! Resources: {len(_RESOURCES)} added, 0 changed, 0 destroyed.", GREEN),
        _tf("Outputs:", GREEN),
        "",
    ]
    lines += [f'{k} = "{v}"' for k, v in outputs.items()]
    bar = f"{RED}│{RESET}"
    failure = (
        _tf(f"{_RESOURCES[0]}: Creating..."),
        f"{RED}╷{RESET}",
        f"{bar} {RESET}{BOLD}{RED}Error: {RESET}{RESET}{BOLD}creating S3 Bucket ({bucket}): operation error S3: "
        f"CreateBucket, https response error StatusCode: 409, RequestID: 7ZQ0EXAMPLE4N2K1, "
        f"HostID: lb1bYEXAMPLEhost=, BucketAlreadyExists: {RESET}",
        f"{bar} {RESET}",
        f"{bar} {RESET}{RESET}  with {_RESOURCES[0]},",
        f'{bar} {RESET}  on main.tf line 1, in resource "aws_s3_bucket" "site":',
        f'{bar} {RESET}   1: resource "aws_s3_bucket" "site" {BOLD}{{{RESET}',
        f"{bar} {RESET}",
        f"{RED}╵{RESET}",
    )
    return tuple(lines), failure


def build_kind(project_name: str, buildspec: str) -> str:
    """Which log script a project gets: by name suffix first, then by what its buildspec mentions."""
    if project_name.endswith("-infra"):
        return "infra"
    if project_name.endswith("-web"):
        return "web"
    text = buildspec.lower()
    if "terraform" in text or "infra" in text:
        return "infra"
    if "s3 sync" in text:
        return "web"
    return "generic"


def bulk_line(kind: str, index: int) -> str:
    """One line of the synthetic high-volume output (log_lines_per_second knob)."""
    if kind == "infra":
        return f"{BOLD}module.assets.aws_s3_object.file[{index}]: Refreshing state... [id=assets/{index:06d}]{RESET}"
    if kind == "web":
        return f"upload: site/assets/chunk-{index:06d}.js to s3://bucket/assets/chunk-{index:06d}.js"
    return f"[{index:06d}] compiling module_{index % 997}.o"
