"""What the programs a buildspec calls do in the emulator, given their argv: ``terraform`` and ``aws`` (the
commands the product's pipelines run; other subcommands succeed silently). Each returns a
:class:`tui.emulator.codebuild.result.Result` with the lines the real program prints on stdout and stderr."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tui.emulator.codebuild import buildlogs, effects
from tui.emulator.codebuild.result import Result, err, out

if TYPE_CHECKING:
    from tui.emulator.codebuild.shell import Shell

AWS_CLI_VERSION = "aws-cli/2.22.4 Python/3.12.6 Linux/5.10.228-219.884.amzn2.x86_64 exec-env/AWS_ECS_EC2"
#: An ``output "NAME" {`` block header in a .tf file (HCL native syntax).
_OUTPUT_BLOCK = re.compile(r'^\s*output\s+"([^"]+)"\s*\{', re.MULTILINE)


def declared_outputs(shell: Shell) -> list[str]:
    """The ``output`` blocks of the .tf files in the shell's working directory (Terraform reads only that
    directory's files, not its subdirectories)."""
    names: list[str] = []
    for path, content in shell.source.files(shell.cwd):
        if "/" not in path and path.endswith(".tf"):
            names += _OUTPUT_BLOCK.findall(content.decode("utf-8", errors="replace"))
    return list(dict.fromkeys(names))


def outputs(shell: Shell) -> dict[str, str]:
    """The declared outputs with the values the emulated apply gave them (an output the emulator has no
    value for gets a stand-in)."""
    known = shell.ctx.outputs()
    return {name: known.get(name, f"{name}-value") for name in declared_outputs(shell)}


def no_output(name: str) -> tuple[str, ...]:
    """Terraform's error for ``terraform output NAME`` when the state has no such output: the exact text (and
    colours) of Terraform 1.11.4, on stderr, exit status 1."""
    bar = "\x1b[31m│\x1b[0m \x1b[0m"
    return (
        "\x1b[31m╷\x1b[0m\x1b[0m",
        f'{bar}\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mOutput "{name}" not found\x1b[0m',
        bar,
        f"{bar}\x1b[0mThe output variable requested could not be found in the state file. If you",
        f"{bar}recently added this to your configuration, be sure to run `terraform",
        f"{bar}apply`, since the state won't be updated with new output variables until",
        f"{bar}that command is run.",
        "\x1b[31m╵\x1b[0m\x1b[0m",
    )


def terraform(shell: Shell, args: list[str]) -> Result:
    sub = args[0] if args else ""
    ctx = shell.ctx
    if sub in ("version", "-version", "--version", "-v"):
        return out(f"Terraform v{buildlogs.TERRAFORM_VERSION}", "on linux_amd64")
    if sub == "init":
        return out(*buildlogs.terraform_init())
    if sub == "plan":
        return out(*buildlogs.terraform_plan(ctx))
    if sub == "validate":
        return out("\x1b[32m\x1b[1mSuccess!\x1b[0m The configuration is valid.")
    if sub == "destroy" or (sub == "apply" and ("-destroy" in args or ctx.tf_action == "destroy")):
        ctx.env = {**ctx.env, "TF_ACTION": "destroy"}
        lines, _ = buildlogs.terraform_apply(ctx)
        return out(*lines)
    if sub == "apply":
        lines, failure = buildlogs.terraform_apply(ctx)
        if shell.fails("terraform apply"):
            return err(*failure, status=1)
        made = ctx.outputs()
        account, region = shell.account_id, shell.region
        return out(*lines, effect=lambda _t: effects.create_site(account, region, made))
    if sub == "output":
        return _output(shell, args[1:])
    return Result()


def _output(shell: Shell, args: list[str]) -> Result:
    values = outputs(shell)
    if "-json" in args:
        body = {k: {"sensitive": False, "type": "string", "value": v} for k, v in values.items()}
        return out(*json.dumps(body, indent=2).splitlines())
    names = [a for a in args if not a.startswith("-")]
    if names:
        if names[0] not in values:
            return err(*no_output(names[0]), status=1)
        value = values[names[0]]
        return out(value) if "-raw" in args else out(json.dumps(value))
    return out(*(f'{k} = "{v}"' for k, v in values.items()))


def aws(shell: Shell, args: list[str]) -> Result:
    if args[:1] == ["--version"]:
        return out(AWS_CLI_VERSION)
    if args[:2] == ["s3", "sync"]:
        paths = [a for a in args[2:] if not a.startswith("--")]
        if len(paths) >= 2:
            return _s3_sync(shell, paths[0], paths[1], "--delete" in args)
    if args[:2] == ["cloudfront", "create-invalidation"]:
        return _invalidation(shell, args[2:])
    return Result()


def _s3_sync(shell: Shell, src: str, dest: str, delete: bool) -> Result:
    bucket = dest.removeprefix("s3://").split("/", 1)[0]
    files = list(shell.source.files(shell.path(src)))
    shown = src.rstrip("/")
    if shell.fails("aws s3 sync"):
        keys = [k for k, _ in files]
        key = "index.html" if "index.html" in keys or not keys else keys[0]
        return err(_access_denied(shell, shown, bucket, key), status=1)
    if not effects.bucket_exists(shell.account_id, bucket):
        return err(
            "fatal error: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "
            "The specified bucket does not exist",
            status=1,
        )
    account = shell.account_id
    changed = [key for key, body in files if not effects.unchanged(account, bucket, key, body)]
    return out(
        *(f"upload: {shown}/{key} to s3://{bucket}/{key}" for key in changed),
        effect=lambda t: effects.sync(account, bucket, files, delete, t),
    )


def _invalidation(shell: Shell, args: list[str]) -> Result:
    options: dict[str, list[str]] = {}
    current = ""
    for arg in args:
        if arg.startswith("--"):
            current = arg[2:]
            options[current] = []
        elif current:
            options[current].append(arg)
    dist = (options.get("distribution-id") or [""])[0]
    paths = options.get("paths") or ["/*"]
    if not effects.distribution_exists(shell.account_id, dist):
        return err(
            "",
            "An error occurred (NoSuchDistribution) when calling the CreateInvalidation operation: "
            "The specified distribution does not exist.",
            status=254,
        )
    ctx = shell.ctx
    inv_id = effects.invalidation_id(ctx.build_uuid + dist)
    caller_ref = f"cli-{ctx.build_uuid[:8]}"
    body: dict[str, Any] = {
        "Location": f"https://cloudfront.amazonaws.com/2020-05-31/distribution/{dist}/invalidation/{inv_id}",
        "Invalidation": {
            "Id": inv_id,
            "Status": "InProgress",
            "InvalidationBatch": {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": caller_ref},
        },
    }
    account, lasting = shell.account_id, 15 * shell.step_seconds  # CloudFront takes a minute or two

    def effect(t: float) -> None:
        effects.create_invalidation(account, dist, inv_id, paths, caller_ref, t + lasting)

    return out(*json.dumps(body, indent=4).splitlines(), effect=effect)


def _access_denied(shell: Shell, src: str, bucket: str, key: str) -> str:
    ctx, account_id = shell.ctx, shell.account_id
    return (
        f"upload failed: {src}/{key} to s3://{bucket}/{key} An error occurred (AccessDenied) when calling the "
        f"PutObject operation: User: arn:aws:sts::{account_id}:assumed-role/{ctx.role or ctx.site + '-codebuild'}/"
        f"AWSCodeBuild-{ctx.build_uuid} is not authorized to perform: s3:PutObject on resource: "
        f'"arn:aws:s3:::{bucket}/{key}" because no identity-based policy allows the s3:PutObject action'
    )
