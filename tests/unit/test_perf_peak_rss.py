"""The benchmark's peak RSS is the measured child's own (tests/perf/frames.py): Linux keeps ``ru_maxrss`` across
``fork`` and ``execve``, so a child started by a large parent reported the parent's size (the memory row read
224–248 MB in full runs, against about 130 MB for the same child measured alone)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARENT = """
import subprocess, sys
big = bytearray(300_000_000)
for i in range(0, len(big), 4096):
    big[i] = 1  # resident, not only reserved
child = "from tests.perf.frames import peak_rss_mb; print(peak_rss_mb())"
print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True).stdout.strip())
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="the benchmark measures RSS through /proc")
def test_a_child_of_a_large_parent_reports_its_own_peak() -> None:
    run = subprocess.run([sys.executable, "-c", PARENT], capture_output=True, text=True, cwd=ROOT, check=True)
    assert float(run.stdout) < 100, run.stdout  # the child is a bare interpreter; its parent held 300 MB
