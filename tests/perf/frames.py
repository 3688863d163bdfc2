"""Child-side probes: when frames are painted, how much memory is resident, percentiles."""

from __future__ import annotations

import resource
import time
from typing import Any

from tui.ui.textual_compat import on_each_frame


class FrameProbe:
    """Records the wall time of every frame the app renders (headless: composed, not written to a tty).

    A frame here is one the app sent to its terminal (:func:`tui.ui.textual_compat.on_each_frame`; the headless
    driver skips only the write), so a frame a terminal would have received."""

    def __init__(self, app: Any) -> None:
        self.frames: list[tuple[float, Any]] = []
        self.on_frame: Any = None

        def frame(screen: Any) -> None:
            now = time.time()
            self.frames.append((now, screen))
            if self.on_frame is not None:
                self.on_frame(now, screen)

        on_each_frame(app, frame)

    def first_after(self, t: float) -> float | None:
        later = [when for when, _ in self.frames if when >= t]
        return min(later) if later else None


def rss_mb() -> float:
    """Current resident set size in MB (Linux /proc)."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    return pages * resource.getpagesize() / 1e6


def peak_rss_mb() -> float:
    """The peak resident set size of this process image, in MB: ``VmHWM`` from /proc/self/status.

    Not ``getrusage``'s ``ru_maxrss``: Linux keeps that across ``fork`` and ``execve`` (getrusage(2)), so a measured
    child reported the benchmark host's own size at the moment it started the child (the host serves the emulator
    in-process, and grows with every section run before): 224–248 MB in a full run against about 130 MB measured
    alone, for the same child. ``VmHWM`` belongs to the address space ``execve`` made."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1e3  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # no VmHWM: kB on Linux, the old measure


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return percentile(values, 0.5)
