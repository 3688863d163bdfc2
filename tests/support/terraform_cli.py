"""Real Terraform as the judge of `export terraform`: a `terraform` binary on PATH and the AWS provider in a
filesystem mirror (no registry is reachable here), found by looking, never assumed.

The mirror is the directory holding ``registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/``: named by
$PIPELINE_TUI_TERRAFORM_MIRROR, else found as ``find / -xdev -maxdepth 4 -type d -name registry.terraform.io`` would.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "registry.terraform.io"
_SKIP_TOP = {"proc", "sys", "dev", "run", "tmp"}
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


def _platform() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{platform.system().lower()}_{arch}"


def _find_registry_dirs(root: Path, depth: int) -> list[Path]:
    """Directories named registry.terraform.io up to ``depth`` levels below ``root``, on root's device."""
    found: list[Path] = []
    try:
        device = root.stat().st_dev
    except OSError:
        return found
    level = [root]
    for _ in range(depth):
        below: list[Path] = []
        for directory in level:
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if directory == root and entry.name in _SKIP_TOP:
                    continue
                try:
                    if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_dev != device:
                        continue
                except OSError:
                    continue
                if entry.name == REGISTRY:
                    found.append(Path(entry.path))
                else:
                    below.append(Path(entry.path))
        level = below
    return sorted(found)


def provider_versions(mirror: Path) -> list[str]:
    """The hashicorp/aws versions the mirror holds for this machine's platform, oldest first."""
    base = mirror / REGISTRY / "hashicorp" / "aws"
    if not base.is_dir():
        return []
    versions = [p.name for p in base.iterdir() if _VERSION.match(p.name) and (p / _platform()).is_dir()]
    return sorted(versions, key=lambda v: tuple(int(n) for n in v.split(".")))


@dataclass(frozen=True, slots=True)
class Terraform:
    binary: str
    mirror: Path


def find() -> Terraform | str:
    """The Terraform binary and a mirror holding the AWS provider, or the reason why there are none."""
    binary = shutil.which("terraform")
    if binary is None:
        return "no `terraform` on PATH"
    named = os.environ.get("PIPELINE_TUI_TERRAFORM_MIRROR")
    candidates = [Path(named)] if named else [p.parent for p in _find_registry_dirs(Path("/"), 4)]
    for mirror in candidates:
        if provider_versions(mirror):
            return Terraform(binary, mirror)
    where = f"$PIPELINE_TUI_TERRAFORM_MIRROR ({named})" if named else "any registry.terraform.io directory"
    return f"`terraform` is at {binary}, but {where} holds no hashicorp/aws provider for {_platform()}"


@dataclass(frozen=True, slots=True)
class Validated:
    ok: bool
    output: str
    provider: str  # the version `terraform init` selected


def validate(tf: Terraform, directory: Path, work: Path) -> Validated:
    """``terraform init -backend=false`` then ``terraform validate`` on ``directory``, offline, from the mirror."""
    config = work / "terraform.rc"
    config.write_text(
        "provider_installation {\n  filesystem_mirror {\n"
        f'    path    = "{tf.mirror.as_posix()}"\n    include = ["registry.terraform.io/*/*"]\n  }}\n}}\n',
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "TF_DATA_DIR": str(work / "data"),
    }
    out = []
    for args in (["init", "-backend=false", "-input=false", "-no-color"], ["validate", "-no-color"]):
        run = subprocess.run(
            [tf.binary, f"-chdir={directory}", *args],
            capture_output=True, text=True, timeout=300, check=False, env=env,
        )  # fmt: skip
        out.append(f"$ terraform {' '.join(args)}\n{run.stdout}{run.stderr}")
        if run.returncode != 0:
            return Validated(False, "\n".join(out), "")
    lock = (directory / ".terraform.lock.hcl").read_text(encoding="utf-8")
    match = re.search(r'provider "registry\.terraform\.io/hashicorp/aws" \{\s*version\s*=\s*"([^"]+)"', lock)
    return Validated(True, "\n".join(out), match.group(1) if match else "")


def console(binary: str, directory: Path, expression: str) -> subprocess.CompletedProcess[str]:
    """``terraform console`` evaluating one expression on ``directory`` (a configuration without providers needs
    no ``init``)."""
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1", "TF_DATA_DIR": str(directory / ".tf")}
    return subprocess.run(
        [binary, f"-chdir={directory}", "console"],
        input=expression + "\n", capture_output=True, text=True, timeout=60, check=False, env=env,
    )  # fmt: skip
