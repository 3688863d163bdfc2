"""The AWS step's choice between new CodeBuild projects and the user's existing ones (reused, never modified)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Select

from tui.domain.projects import BuildProject
from tui.domain.text import plain

NEW = "-new-"  # the Select value for "create a new project" (never a project name: those cannot start with '-')
BUILDS = {"infra": "Infrastructure build", "web": "Web build"}


def options(which: str, projects: tuple[BuildProject, ...]) -> list[tuple[Text, str]]:
    """(label, value) for the Select: create a new one first, then each existing project. Labels are text, not
    markup (a Select reads a ``str`` label as markup): project names come from AWS."""
    kind = "infrastructure" if which == "infra" else "web"
    rows = [(Text(f"Create a new {kind} build"), NEW)]
    rows += [(Text(f"Use my existing build {plain(p.name)[:60]}"), p.name) for p in projects]
    return rows


def select(which: str, projects: tuple[BuildProject, ...], chosen: str | None) -> Select[str]:
    names = {p.name for p in projects}
    return Select(
        options(which, projects),
        value=chosen if chosen in names else NEW,
        allow_blank=False,
        id=f"{which}-project",
    )


def describe(project: BuildProject | None) -> str:
    """One line about a chosen project: its image, buildspec and role, or empty for a new one."""
    if project is None:
        return ""
    where = project.buildspec_path or ("inline" if project.inline_buildspec else "in S3")
    role = plain(project.service_role.rsplit("/", 1)[-1]) or "no role"
    return f"{plain(project.image)[:50]} · buildspec {plain(where)[:60]} · role {role[:60]} · reused, unchanged"


def listing_note(projects: tuple[BuildProject, ...] | None, error: str | None) -> str:
    if error:
        return f"Could not list your CodeBuild projects ({error}); new ones will be created."
    if projects is None:
        return "Listing your CodeBuild projects…"
    if not projects:
        return "No CodeBuild projects in this account and region: new ones will be created."
    count = len(projects)
    return (
        f"{count} existing CodeBuild project{'s' if count != 1 else ''} here: pick yours to reuse it as it is "
        "(referenced by the pipeline, never modified), or create new ones."
    )


def gone_note(names: list[str]) -> str:
    """The previous setup reused projects that are not here (deleted, or another account or region)."""
    listed = ", ".join(plain(n)[:60] for n in names)
    return f"Your previous setup reused {listed}, which is not in this account and region: pick again."
