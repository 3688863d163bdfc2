"""The dashboard's state when its pipeline could not be read at all (no snapshot yet): what failed, against
which endpoint, and what to do. It stays until a read succeeds (never a toast that fades into "Loading…")."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.domain.text import plain


def endpoint_words(*, demo: bool, where: str, endpoint_url: str | None) -> str:
    """Whom the dashboard asked: the demo's own emulator, an --endpoint-url, or AWS in a region."""
    if demo:
        return f"the demo's own emulator ({endpoint_url or 'in this process'}), not AWS"
    if endpoint_url:
        return f"the endpoint {endpoint_url} ({where})"
    return f"AWS ({where})"


class LoadError(Static):
    """Hidden until :meth:`failed`; :meth:`retrying` while ``r`` reads again; :meth:`clear` once it loads."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.display = False
        self.sentence: str | None = None

    @property
    def shown(self) -> bool:
        return self.sentence is not None

    def failed(self, pipeline: str, endpoint: str, sentence: str, *, demo: bool) -> None:
        self.sentence = sentence
        first = plain(sentence).splitlines()[0] if sentence.strip() else "no answer"
        text = Text.assemble(
            (f"✘ Could not load pipeline {plain(pipeline)}", "bold"),
            f" from {endpoint}.\n",
            first,
        )
        if demo:
            text.append("\nThe demo's emulator runs inside this app: its error above is all it said.")
        text.append("\nr: retry now (it also retries by itself) · p: other pipelines · q: quit", style="italic")
        self.update(text)
        self.display = True

    def retrying(self) -> None:
        if self.sentence is not None:
            self.update(Text.assemble(("Reading the pipeline again…", "bold"), "\n", plain(self.sentence)))

    def clear(self) -> None:
        self.sentence = None
        self.display = False
        self.update("")
