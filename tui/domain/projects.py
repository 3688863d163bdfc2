"""An existing CodeBuild project the pipeline may reuse (referenced by name, never modified). Pure data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui.domain.text import own_remote_text

#: CodeBuild reads ``buildspec.yml`` at the source root when a project names no buildspec.
DEFAULT_BUILDSPEC = "buildspec.yml"
_INLINE = re.compile(r"^\s*version\s*:", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class BuildProject:
    """What ``BatchGetProjects`` says about a project, as far as the wizard needs it."""

    name: str
    arn: str = ""
    source_type: str = ""  # CODEPIPELINE, GITHUB, S3, NO_SOURCE …
    source_location: str = ""
    #: ``source.buildspec``: inline YAML, a path relative to the source root, an S3 object ARN, or "" (the
    #: source's ``buildspec.yml``). https://docs.aws.amazon.com/codebuild/latest/APIReference/API_ProjectSource.html
    buildspec: str = ""
    image: str = ""
    service_role: str = ""

    def __post_init__(self) -> None:
        own_remote_text(self)

    @property
    def inline_buildspec(self) -> bool:
        """The buildspec is written into the project itself (not a file in the source)."""
        return "\n" in self.buildspec.strip() or bool(_INLINE.match(self.buildspec))

    @property
    def buildspec_in_s3(self) -> bool:
        return self.buildspec.startswith("arn:") and ":s3:::" in self.buildspec

    @property
    def buildspec_path(self) -> str | None:
        """The file in the pipeline's source the project runs, or None when it is inline or in S3. Under a
        pipeline the source is the pipeline's (the project's own source settings are ignored)."""
        if self.inline_buildspec or self.buildspec_in_s3:
            return None
        return self.buildspec.strip() or DEFAULT_BUILDSPEC

    @property
    def buildspec_label(self) -> str:
        """Where the buildspec lives, for a sentence."""
        if self.inline_buildspec:
            return f"project {self.name}'s inline buildspec"
        if self.buildspec_in_s3:
            return f"project {self.name}'s buildspec in S3"
        return f"{self.buildspec_path} (project {self.name})"
