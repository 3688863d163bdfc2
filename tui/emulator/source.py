"""The repository content the emulated Source action produces: a directory (``--source-dir``), by default the
demo's built-in sample repository, as some scenarios alter it (e.g. an infra buildspec without ``artifacts:``).

Light: no moto or boto3 (the fake GitHub serves the same files)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType

INFRA_BUILDSPEC = "infra/buildspec.yml"
WEB_BUILDSPEC = "web/buildspec.yml"


def sample_repo_dir() -> Path:
    """The demo's sample repository: infra/ (Terraform + buildspec), web/buildspec.yml and site/."""
    return Path(__file__).with_name("sample_repo")


def _drop_artifacts(text: str) -> str:
    """The buildspec without its top-level ``artifacts:`` section."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if re.match(r"artifacts\s*:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "".join(out)


def _drop_export(name: str) -> Callable[[str], str]:
    """The buildspec with ``name`` left out of ``env.exported-variables`` (inline list form)."""

    def edit(text: str) -> str:
        def fix(match: re.Match[str]) -> str:
            names = [n.strip() for n in match.group(2).split(",") if n.strip() and n.strip() != name]
            return f"{match.group(1)}[{', '.join(names)}]"

        return re.sub(r"(exported-variables:\s*)\[([^\]]*)\]", fix, text)

    return edit


def _drop_terraform_install(text: str) -> str:
    """The buildspec without the commands that download and unpack Terraform."""
    keep = [
        line
        for line in text.splitlines(keepends=True)
        if not re.match(r"\s*- .*(releases\.hashicorp\.com|terraform\.zip|terraform_SHA256SUMS)", line)
    ]
    return "".join(keep)


#: Scenario variants of the repository: variant name -> path -> how the file's text changes.
VARIANTS: Mapping[str, Mapping[str, Callable[[str], str]]] = MappingProxyType(
    {
        "no-artifacts": {INFRA_BUILDSPEC: _drop_artifacts},
        "no-distribution-export": {INFRA_BUILDSPEC: _drop_export("distribution_id")},
        "no-terraform-install": {INFRA_BUILDSPEC: _drop_terraform_install},
    }
)


def branch_head(repo: str, branch: str) -> tuple[str, str] | None:
    """(sha, message) of ``branch``'s head in the demo repository, as the fake GitHub serves it (the wizard's
    "latest commit"); None for another repository or branch."""
    from tui.emulator.github import DEMO_HEADS, DEMO_REPO

    return DEMO_HEADS.get(branch) if repo.lower() == DEMO_REPO.lower() else None


class Source:
    """A repository snapshot: files under ``root`` with the ``variant``'s edits applied."""

    def __init__(self, root: Path | None = None, variant: str | None = None) -> None:
        self.root = Path(root) if root is not None else sample_repo_dir()
        self.edits = VARIANTS.get(variant or "", {})

    @staticmethod
    def _clean(path: str) -> str | None:
        parts = [p for p in PurePosixPath(path.replace("\\", "/")).parts if p not in ("", ".", "/")]
        if any(p == ".." for p in parts):
            return None
        return "/".join(parts)

    def read_text(self, path: str) -> str | None:
        """The file at ``path`` (relative to the repository root), or None when there is none."""
        rel = self._clean(path)
        if rel is None:
            return None
        file = self.root / rel
        if not file.is_file():
            return None
        text = file.read_text(encoding="utf-8", errors="replace")
        edit = self.edits.get(rel)
        return edit(text) if edit else text

    def files(self, directory: str) -> Iterator[tuple[str, bytes]]:
        """(path relative to ``directory``, content) of every file under ``directory``, sorted."""
        rel = self._clean(directory)
        if rel is None:
            return
        base = self.root / rel if rel else self.root
        if not base.is_dir():
            return
        for file in sorted(p for p in base.rglob("*") if p.is_file()):
            yield file.relative_to(base).as_posix(), file.read_bytes()

    def is_dir(self, directory: str) -> bool:
        rel = self._clean(directory)
        return rel is not None and (self.root / rel).is_dir()
