"""One buildspec command as the build's shell runs it: what it prints, its exit status, and what it changes.

Buildspec version 0.2 runs every command of a build in the same shell instance, so ``cd`` and ``export``
carry over (https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html, "shell" and
"version"). Commands the emulator does not know succeed silently."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tui.emulator.codebuild import buildlogs, effects
from tui.emulator.codebuild.buildlogs import BuildContext
from tui.emulator.source import Source
from tui.services.buildspec import runs_terraform

#: How /bin/sh on CodeBuild's images reports a missing program (the script line number varies).
NOT_FOUND = "/codebuild/output/tmp/script.sh: 4: {name}: not found"
AWS_CLI_VERSION = "aws-cli/2.22.4 Python/3.12.6 Linux/5.10.228-219.884.amzn2.x86_64 exec-env/AWS_ECS_EC2"
_VAR = re.compile(r"\$\{(\w+)\}|\$(\w+)")
_TF_OUTPUT = re.compile(r"\$\(\s*terraform\s+output\s+-raw\s+(\w+)\s*\)")
_ASSIGN = re.compile(r"(\w+)=(\$\([^)]*\)|\"[^\"]*\"|'[^']*'|\S*)")


@dataclass
class Result:
    output: tuple[str, ...] = ()
    status: int = 0
    # Run when the emulator clock reaches the command (with the account's ids), e.g. create a bucket.
    effect: Callable[[float], None] | None = None


@dataclass
class Shell:
    ctx: BuildContext
    source: Source
    account_id: str
    region: str
    env: dict[str, str]
    has_terraform: bool
    armed: set[str] = field(default_factory=set)  # scenario failures this build hits (command prefixes)
    step_seconds: float = 2.0
    cwd: str = ""  # relative to the source root

    # ---- helpers ----------------------------------------------------------------------------
    def expand(self, text: str) -> str:
        def var(match: re.Match[str]) -> str:
            return self.env.get(match.group(1) or match.group(2), "")

        return _VAR.sub(var, text)

    def _path(self, relative: str) -> str:
        relative = relative.strip().removeprefix("./").rstrip("/")
        if relative.startswith("/"):
            src = self.env.get("CODEBUILD_SRC_DIR", "")
            relative = relative.removeprefix(src).lstrip("/")
        return "/".join(p for p in (self.cwd, relative) if p and p != ".")

    def _outputs(self) -> dict[str, str]:
        return buildlogs.infra_outputs(self.ctx.site)

    def _fails(self, command: str) -> bool:
        hit = next((a for a in self.armed if command.startswith(a)), None)
        if hit is None:
            return False
        self.armed.discard(hit)
        return True

    # ---- the commands -----------------------------------------------------------------------
    def run(self, command: str) -> Result:
        line = command.strip()
        if line.startswith("export ") or re.fullmatch(r"\w+=\S*", line):
            return self._export(line.removeprefix("export "))
        expanded = self.expand(line)
        if runs_terraform(line) and not self.has_terraform:
            return Result((NOT_FOUND.format(name="terraform"),), 127)
        words = expanded.split()
        head = words[0] if words else ""
        if head == "cd":
            return self._cd(words[1] if len(words) > 1 else "")
        if head == "terraform":
            return self._terraform(expanded, words[1:])
        if head == "aws":
            return self._aws(expanded, words[1:])
        if head == "echo":
            return self._echo(expanded)
        return Result()

    def _export(self, text: str) -> Result:
        output: list[str] = []
        for name, raw in _ASSIGN.findall(text):
            value = raw.strip("\"'")
            tf = _TF_OUTPUT.fullmatch(raw)
            if tf:
                if not self.has_terraform:
                    output.append(NOT_FOUND.format(name="terraform"))
                    value = ""
                else:
                    value = self._outputs().get(tf.group(1), "")
                    if tf.group(1) not in self._outputs():
                        output += _no_output(tf.group(1))
            else:
                value = self.expand(value)
            self.env[name] = value
        return Result(tuple(output))

    def _cd(self, target: str) -> Result:
        path = self._path(target)
        if target and not self.source.is_dir(path):
            return Result((f"/codebuild/output/tmp/script.sh: 4: cd: can't cd to {target}",), 2)
        self.cwd = path
        return Result()

    def _echo(self, expanded: str) -> Result:
        if "sha256sum -c" in expanded:
            match = re.search(r"\s\s(\S+?)\"?\s*\|", expanded)
            return Result((f"{match.group(1) if match else '-'}: OK",))
        if ">" in expanded:
            return Result()
        try:
            return Result((" ".join(shlex.split(expanded)[1:]),))
        except ValueError:
            return Result((expanded.removeprefix("echo").strip(),))

    def _terraform(self, expanded: str, args: list[str]) -> Result:
        sub = args[0] if args else ""
        ctx = self.ctx
        if sub == "version" or sub in ("-version", "--version"):
            return Result((f"Terraform v{buildlogs.TERRAFORM_VERSION}", "on linux_amd64"))
        if sub == "init":
            return Result(buildlogs.terraform_init())
        if sub == "plan":
            return Result(buildlogs.terraform_plan(ctx))
        if sub in ("validate",):
            return Result(("\x1b[32m\x1b[1mSuccess!\x1b[0m The configuration is valid.",))
        if sub == "destroy" or (sub == "apply" and ("-destroy" in args or ctx.tf_action == "destroy")):
            ctx.env = {**ctx.env, "TF_ACTION": "destroy"}
            lines, _ = buildlogs.terraform_apply(ctx)
            return Result(lines)
        if sub == "apply":
            lines, failure = buildlogs.terraform_apply(ctx)
            if self._fails("terraform apply"):
                return Result(failure, 1)
            outputs = self._outputs()
            account, region = self.account_id, self.region
            return Result(lines, effect=lambda _t: effects.create_site(account, region, outputs))
        if sub == "output":
            return self._terraform_output(expanded, args[1:])
        return Result()

    def _terraform_output(self, expanded: str, args: list[str]) -> Result:
        outputs = self._outputs()
        if ">" in expanded:
            return Result()
        if "-json" in args:
            body = {k: {"sensitive": False, "type": "string", "value": v} for k, v in outputs.items()}
            return Result(tuple(json.dumps(body, indent=2).splitlines()))
        names = [a for a in args if not a.startswith("-")]
        if names:
            if names[0] not in outputs:
                return Result(_no_output(names[0]), 1)
            return Result((outputs[names[0]],))
        return Result(tuple(f'{k} = "{v}"' for k, v in outputs.items()))

    def _aws(self, expanded: str, args: list[str]) -> Result:
        if args[:1] == ["--version"]:
            return Result((AWS_CLI_VERSION,))
        if args[:2] == ["s3", "sync"] and len(args) >= 4:
            return self._s3_sync(args[2], args[3], "--delete" in args)
        if args[:2] == ["cloudfront", "create-invalidation"]:
            return self._invalidation(args[2:])
        return Result()

    def _s3_sync(self, src: str, dest: str, delete: bool) -> Result:
        bucket = dest.removeprefix("s3://").split("/", 1)[0]
        directory = self._path(src)
        files = list(self.source.files(directory))
        shown = src.rstrip("/")
        if self._fails("aws s3 sync"):
            keys = [k for k, _ in files]
            key = "index.html" if "index.html" in keys or not keys else keys[0]
            return Result(_access_denied(self.ctx, shown, bucket, key, self.account_id), 1)
        if not effects.bucket_exists(self.account_id, bucket):
            return Result(
                (
                    "fatal error: An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "
                    "The specified bucket does not exist",
                ),
                1,
            )
        lines = tuple(f"upload: {shown}/{key} to s3://{bucket}/{key}" for key, _ in files)
        account = self.account_id
        return Result(lines, effect=lambda t: effects.sync(account, bucket, files, delete, t))

    def _invalidation(self, args: list[str]) -> Result:
        options: dict[str, list[str]] = {}
        current = ""
        for arg in args:
            if arg.startswith("--"):
                current = arg[2:]
                options[current] = []
            elif current:
                options[current].append(arg.strip("\"'"))
        dist = (options.get("distribution-id") or [""])[0]
        paths = options.get("paths") or ["/*"]
        if not effects.distribution_exists(self.account_id, dist):
            return Result(
                (
                    "",
                    "An error occurred (NoSuchDistribution) when calling the CreateInvalidation operation: "
                    "The specified distribution does not exist.",
                ),
                254,
            )
        inv_id = effects.invalidation_id(self.ctx.build_uuid + dist)
        caller_ref = f"cli-{self.ctx.build_uuid[:8]}"
        body: dict[str, Any] = {
            "Location": f"https://cloudfront.amazonaws.com/2020-05-31/distribution/{dist}/invalidation/{inv_id}",
            "Invalidation": {
                "Id": inv_id,
                "Status": "InProgress",
                "InvalidationBatch": {"Paths": {"Quantity": len(paths), "Items": paths}, "CallerReference": caller_ref},
            },
        }
        account, lasting = self.account_id, 15 * self.step_seconds  # CloudFront takes a minute or two

        def effect(t: float) -> None:
            effects.create_invalidation(account, dist, inv_id, paths, caller_ref, t + lasting)

        return Result(tuple(json.dumps(body, indent=4).splitlines()), effect=effect)


def _no_output(name: str) -> tuple[str, ...]:
    return (
        "\x1b[31m╷\x1b[0m",
        f'\x1b[31m│\x1b[0m \x1b[1m\x1b[31mError: \x1b[0m\x1b[1mOutput "{name}" not found\x1b[0m',
        "\x1b[31m│\x1b[0m",
        "\x1b[31m│\x1b[0m The output variable requested could not be found in the state file.",
        "\x1b[31m╵\x1b[0m",
    )


def _access_denied(ctx: BuildContext, src: str, bucket: str, key: str, account_id: str) -> tuple[str, ...]:
    return (
        f"upload failed: {src}/{key} to s3://{bucket}/{key} An error occurred (AccessDenied) when calling the "
        f"PutObject operation: User: arn:aws:sts::{account_id}:assumed-role/{ctx.role or ctx.site + '-codebuild'}/"
        f"AWSCodeBuild-{ctx.build_uuid} is not authorized to perform: s3:PutObject on resource: "
        f'"arn:aws:s3:::{bucket}/{key}" because no identity-based policy allows the s3:PutObject action',
    )
