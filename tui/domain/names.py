"""The AWS resource names derived from a pipeline name: the one definition, shown by the wizard and headless
setup, created by provisioning and removed by destroy. Pure (no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass

PIPELINE_NAME_MAX = 100  # CodePipeline's own limit
CONNECTION_NAME_MAX = 32  # CodeStar Connections / CodeConnections
CONNECTION_SUFFIX = "-github"
BUCKET_NAME_MAX = 63
BUILDS = ("infra", "web")
ARTIFACTS_INFIX = "-artifacts-"
STATE_INFIX = "-tfstate-"
#: The site bucket Terraform creates: exactly ``<stem>-site-<account>`` (:attr:`Names.site_bucket`). An exact name,
#: not a ``<stem>-*`` pattern: ``my-site-*`` also matches every bucket of pipeline ``my-site-2``. The names are
#: collision-free: two stems give the same artifact, state or site bucket only if they are equal, and the three
#: infixes end differently ("-site" / "facts" / "state"), so no pipeline's bucket is another's site bucket.
SITE_INFIX = "-site-"
#: The environment variable of the infrastructure build that holds the site bucket's name (the sample
#: repository's Terraform takes the name from it): the one bucket the build policies let Terraform manage.
SITE_BUCKET_ENV = "SITE_BUCKET"
ACCOUNT_ID_LENGTH = 12
#: The pipeline-derived start of every bucket name, sized for the longest suffix (``-artifacts-<account>``).
BUCKET_STEM_MAX = BUCKET_NAME_MAX - len(ARTIFACTS_INFIX) - ACCOUNT_ID_LENGTH
#: Environment variable of the web build -> the variable the infra build exports (buildspec
#: ``env.exported-variables``): what the pipeline wires from one build to the other.
INFRA_OUTPUTS = {"BUCKET_NAME": "bucket_name", "DISTRIBUTION_ID": "distribution_id", "SITE_URL": "site_url"}
#: The image of the CodeBuild projects pipeline-tui creates (AWS's curated image: no Terraform on it).
NEW_PROJECT_IMAGE = "aws/codebuild/standard:7.0"


def _bucket_safe(text: str) -> str:
    """Lower case; anything S3 does not allow (``_`` above all) becomes ``-``."""
    return re.sub(r"[^a-z0-9.-]", "-", text.lower())


@dataclass(frozen=True, slots=True)
class Names:
    """``account`` is needed only for the bucket (the wizard shows the names before it knows the account)."""

    pipeline: str
    account: str | None = None

    @property
    def bucket_stem(self) -> str:
        """The start of every bucket name this pipeline derives (artifacts, Terraform state, the site)."""
        return _bucket_safe(self.pipeline)[:BUCKET_STEM_MAX].rstrip("-")

    @property
    def bucket(self) -> str | None:
        """The artifact bucket; None without the account id."""
        return f"{self.bucket_stem}{ARTIFACTS_INFIX}{self.account}" if self.account else None

    @property
    def state_bucket(self) -> str | None:
        """The Terraform state bucket (for an infra project pipeline-tui creates); None without the account id."""
        return f"{self.bucket_stem}{STATE_INFIX}{self.account}" if self.account else None

    @property
    def state_key(self) -> str:
        """The Terraform state object's key in the state bucket."""
        return f"{self.pipeline}/terraform.tfstate"

    @property
    def site_bucket(self) -> str | None:
        """The one site bucket the builds may manage and sync to (see :data:`SITE_INFIX`); None without the
        account id."""
        return f"{self.bucket_stem}{SITE_INFIX}{self.account}" if self.account else None

    @property
    def site_bucket_shown(self) -> str:
        """The site bucket's name as the wizard shows it before the account is known."""
        return self.site_bucket or f"{self.bucket_stem}{SITE_INFIX}<account>"

    @property
    def pipeline_role(self) -> str:
        return f"{self.pipeline}-pipeline"[:64]

    def build_role(self, which: str) -> str:
        return f"{self.pipeline}-{which}-build"[:64]

    def project(self, which: str) -> str:
        return f"{self.pipeline}-{which}"

    @property
    def infra_project(self) -> str:
        return self.project("infra")

    @property
    def web_project(self) -> str:
        return self.project("web")

    def log_group(self, which: str) -> str:
        return f"/aws/codebuild/{self.project(which)}"

    @property
    def connection(self) -> str:
        return f"{self.pipeline[: CONNECTION_NAME_MAX - len(CONNECTION_SUFFIX)]}{CONNECTION_SUFFIX}"

    @property
    def roles(self) -> tuple[str, ...]:
        return (self.pipeline_role, *(self.build_role(which) for which in BUILDS))

    def as_rows(self) -> list[tuple[str, str]]:
        """(label, name) rows, as the wizard's review and `setup --token-stdin` show them."""
        rows = [
            ("CodePipeline pipeline", self.pipeline),
            ("CodeBuild project (infrastructure)", self.infra_project),
            ("CodeBuild project (web)", self.web_project),
            ("CodeStar connection", self.connection),
            ("IAM roles", ", ".join(self.roles)),
        ]
        if self.bucket:
            rows.append(("S3 artifact bucket", self.bucket))
        return rows
