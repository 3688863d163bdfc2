"""Scripted CodeBuild log content: commands and their output per build kind and phase."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

# ANSI sequences as Terraform prints them when colour is on (CodeBuild logs keep them).
RESET, BOLD, RED, GREEN, YELLOW = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[33m"

TERRAFORM_VERSION = "1.9.8"
AWS_PROVIDER_VERSION = "5.76.0"


def container_line(ts: float, text: str) -> str:
    """A CodeBuild agent line: ``[Container] 2026/11/26 08:10:01.123456 <text>``."""
    total_micro = int(ts * 1_000_000)
    seconds, micro = divmod(total_micro, 1_000_000)
    return f"[Container] {time.strftime('%Y/%m/%d %H:%M:%S', time.gmtime(seconds))}.{micro:06d} {text}"


@dataclass(frozen=True)
class Command:
    command: str
    output: tuple[str, ...] = ()
    # What the command prints when it fails instead (the build then records exit status 1).
    failure_output: tuple[str, ...] = ()


@dataclass
class BuildContext:
    """What a log script needs to know about one build."""

    kind: str  # 'infra' | 'web' | 'generic'
    project: str
    build_uuid: str
    env: Mapping[str, str] = field(default_factory=dict)

    @property
    def site(self) -> str:
        for suffix in ("-infra", "-web"):
            if self.project.endswith(suffix):
                return self.project[: -len(suffix)]
        return self.project

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


def infra_outputs(site: str) -> dict[str, str]:
    """The Terraform outputs of the infra build (exported as pipeline output variables)."""
    digest = hashlib.sha1(site.encode()).hexdigest().upper()
    letters = "".join(c if c.isalpha() else chr(ord("A") + int(c)) for c in digest)
    distribution_id = "E" + letters[:13]
    domain = "d" + hashlib.sha1(("cf" + site).encode()).hexdigest()[:13] + ".cloudfront.net"
    return {"bucket_name": f"{site}-prod", "distribution_id": distribution_id, "site_url": f"https://{domain}"}


def _tf(text: str, colour: str = "") -> str:
    return f"{RESET}{BOLD}{colour}{text}{RESET}"


def _terraform_init() -> Command:
    return Command(
        "terraform init -input=false",
        (
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
        ),
    )


_RESOURCES = (
    "aws_s3_bucket.site",
    "aws_s3_bucket_public_access_block.site",
    "aws_cloudfront_origin_access_control.site",
    "aws_cloudfront_distribution.site",
    "aws_s3_bucket_policy.site",
)


def _terraform_plan(ctx: BuildContext) -> Command:
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
        lines += [f"  {GREEN}+{RESET} {k} = (known after apply)" for k in infra_outputs(ctx.site)]
    lines += ["", "─" * 77, "", "Saved the plan to: tfplan"]
    return Command("terraform plan -input=false -out=tfplan", tuple(lines))


def _terraform_apply(ctx: BuildContext) -> Command:
    outputs = infra_outputs(ctx.site)
    bucket = outputs["bucket_name"]
    if ctx.tf_action == "destroy":
        lines = [_tf(f"{r}: Destroying...") for r in reversed(_RESOURCES)]
        lines += [_tf(f"{r}: Destruction complete after 1s") for r in reversed(_RESOURCES)]
        lines += ["", _tf(f"Destroy complete! Resources: {len(_RESOURCES)} destroyed.", GREEN)]
        return Command("terraform apply -auto-approve -destroy tfplan", tuple(lines))
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
        f'{bar} {RESET}  on main.tf line 12, in resource "aws_s3_bucket" "site":',
        f'{bar} {RESET}  12: resource "aws_s3_bucket" "site" {BOLD}{{{RESET}',
        f"{bar} {RESET}",
        f"{RED}╵{RESET}",
    )
    return Command("terraform apply -auto-approve tfplan", tuple(lines), failure)


def _infra_script(ctx: BuildContext) -> dict[str, list[Command]]:
    zip_url = (
        f"https://releases.hashicorp.com/terraform/{TERRAFORM_VERSION}/terraform_{TERRAFORM_VERSION}_linux_amd64.zip"
    )
    build = [_terraform_plan(ctx), _terraform_apply(ctx)]
    if ctx.tf_action == "plan":
        build = build[:1]
    post = [
        Command(
            "export bucket_name=$(terraform output -raw bucket_name)"
            " distribution_id=$(terraform output -raw distribution_id) site_url=$(terraform output -raw site_url)"
        )
    ]
    return {
        "INSTALL": [
            Command(f"curl -sSLo /tmp/terraform.zip {zip_url}"),
            Command("unzip -o -q /tmp/terraform.zip -d /usr/local/bin"),
            Command("terraform version", (f"Terraform v{TERRAFORM_VERSION}", "on linux_amd64")),
        ],
        "PRE_BUILD": [Command("cd infra"), _terraform_init()],
        "BUILD": build,
        "POST_BUILD": post if ctx.tf_action == "apply" else [],
    }


_SITE_FILES = (
    "index.html",
    "404.html",
    "favicon.ico",
    "robots.txt",
    "assets/app.css",
    "assets/app.js",
    "assets/logo.svg",
    "assets/hero.webp",
)


def _web_script(ctx: BuildContext) -> dict[str, list[Command]]:
    outputs = infra_outputs(ctx.site)
    bucket = ctx.env.get("BUCKET_NAME") or outputs["bucket_name"]
    dist = ctx.env.get("DISTRIBUTION_ID") or outputs["distribution_id"]
    uploads = tuple(f"upload: site/{f} to s3://{bucket}/{f}" for f in _SITE_FILES)
    denied = (
        f"upload failed: site/{_SITE_FILES[0]} to s3://{bucket}/{_SITE_FILES[0]} An error occurred "
        "(AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/"
        f"{ctx.site}-codebuild/AWSCodeBuild-{ctx.build_uuid} is not authorized to perform: s3:PutObject on "
        f'resource: "arn:aws:s3:::{bucket}/{_SITE_FILES[0]}" because no identity-based policy allows the '
        "s3:PutObject action",
    )
    invalidation_id = "I" + hashlib.sha1(ctx.build_uuid.encode()).hexdigest()[:13].upper()
    invalidation = (
        "{",
        f'    "Location": "https://cloudfront.amazonaws.com/2020-05-31/distribution/{dist}/invalidation/'
        f'{invalidation_id}",',
        '    "Invalidation": {',
        f'        "Id": "{invalidation_id}",',
        '        "Status": "InProgress",',
        '        "InvalidationBatch": {',
        '            "Paths": {"Quantity": 1, "Items": ["/*"]},',
        f'            "CallerReference": "cli-{ctx.build_uuid[:8]}"',
        "        }",
        "    }",
        "}",
    )
    return {
        "INSTALL": [Command("aws --version", ("aws-cli/2.22.4 Python/3.12.6 Linux/5.10 exec-env/AWS_ECS_EC2",))],
        "PRE_BUILD": [Command('echo "Deploying to s3://$BUCKET_NAME"', (f"Deploying to s3://{bucket}",))],
        "BUILD": [
            Command("aws s3 sync ./site s3://$BUCKET_NAME --delete", uploads, denied),
            Command(
                'aws cloudfront create-invalidation --distribution-id $DISTRIBUTION_ID --paths "/*"',
                invalidation,
            ),
        ],
        "POST_BUILD": [Command('echo "Site deployed"', ("Site deployed",))],
    }


def _generic_script(ctx: BuildContext) -> dict[str, list[Command]]:
    return {
        "INSTALL": [Command("echo Installing dependencies", ("Installing dependencies",))],
        "PRE_BUILD": [Command("echo Preparing build", ("Preparing build",))],
        "BUILD": [
            Command(
                "make build",
                ("make: Entering directory", "building...", "make: Leaving directory"),
                ("make: *** [Makefile:3: build] Error 1",),
            ),
        ],
        "POST_BUILD": [Command("echo Build completed", ("Build completed",))],
    }


SCRIPTS = {"infra": _infra_script, "web": _web_script, "generic": _generic_script}


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
