"""What one emulated command (or list, pipeline, block) did: its lines on stdout (1) and stderr (2) in the
order printed, its exit status, and its effects on the emulated account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Effect = Callable[[float], None]


@dataclass(frozen=True)
class Result:
    lines: tuple[tuple[str, int], ...] = ()  # (text, stream)
    status: int = 0
    effects: tuple[Effect, ...] = ()

    @property
    def output(self) -> tuple[str, ...]:
        """Every line, as the build log shows it (CodeBuild logs both streams)."""
        return tuple(text for text, _ in self.lines)

    @property
    def stdout(self) -> str:
        return "".join(text + "\n" for text, stream in self.lines if stream == 1)

    @property
    def effect(self) -> Effect | None:
        """Run when the emulator clock reaches the command (e.g. create a bucket): all of them, in order."""
        if not self.effects:
            return None
        effects = self.effects

        def run(t: float) -> None:
            for effect in effects:
                effect(t)

        return run

    def then(self, other: Result) -> Result:
        """``self`` followed by ``other`` (whose status is the sequence's)."""
        return Result(self.lines + other.lines, other.status, self.effects + other.effects)

    def with_status(self, status: int) -> Result:
        return Result(self.lines, status, self.effects)

    def streams(self, mapping: dict[int, int | None]) -> Result:
        """The lines sent elsewhere: stream -> new stream, or None when it went to a file."""
        moved = tuple((t, mapping.get(s, s)) for t, s in self.lines)
        return Result(tuple((t, s) for t, s in moved if s is not None), self.status, self.effects)


def out(*lines: str, status: int = 0, effect: Effect | None = None) -> Result:
    return Result(tuple((line, 1) for line in lines), status, (effect,) if effect else ())


def err(*lines: str, status: int = 1) -> Result:
    return Result(tuple((line, 2) for line in lines), status)
