"""What to do about a failure pipeline-tui recognises: one sentence per known AWS error, matched on the text
AWS gives (the strict emulator answers with the same text, so the demo's scenarios show the same advice)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# (pattern on the failure's text, the fix pipeline-tui suggests)
_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"no definition for primary artifacts in buildspec", re.IGNORECASE),
        "Add an `artifacts:` section to the infrastructure buildspec (see the README), or run "
        "`pipeline-tui setup` again so the pipeline declares no output artifact.",
    ),
    (
        re.compile(r"terraform: (?:command )?not found|terraform.*exit status 127", re.IGNORECASE),
        "Install Terraform in the buildspec's install phase (the README's pinned, checksummed download), or use "
        "an image that has it: AWS's aws/codebuild/* images do not.",
    ),
    (
        re.compile(r"variables? could not be resolved", re.IGNORECASE),
        "List the variable under `env.exported-variables` in the infrastructure buildspec, or run "
        "`pipeline-tui setup` again so the pipeline stops passing it.",
    ),
    (
        re.compile(r"not authorized to perform: (codebuild:\w+|s3:\w+|logs:\w+|code(?:star-)?connections:\w+)"),
        "Allow {0} to the role named in the message: `pipeline-tui provision` repairs the roles it created; "
        "`pipeline-tui permissions` shows what each one needs.",
    ),
    (
        re.compile(r"BucketAlreadyExists", re.IGNORECASE),
        "S3 bucket names are global and this one is taken: the builds may create only `$SITE_BUCKET` "
        "(`<pipeline>-site-<account>`); if taken, use another pipeline name.",
    ),
    (
        re.compile(r"YAML_FILE_ERROR", re.IGNORECASE),
        "Fix the buildspec's YAML: `pipeline-tui setup` checks both buildspecs before anything runs.",
    ),
)


def suggest_fix(texts: Iterable[str]) -> str | None:
    """The fix for the first known error in ``texts`` (cause lines, the phase context, the action's error)."""
    for text in texts:
        for pattern, fix in _FIXES:
            match = pattern.search(text)
            if match:
                return fix.format(*match.groups())
    return None
