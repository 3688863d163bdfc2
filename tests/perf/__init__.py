"""The performance benchmark: ``python -m tests.perf`` prints one table (see docs/performance.md).

Not part of the default pytest run: no module here is named ``test_*``. The emulator runs in the
benchmark's own process; every measured app runs in a child process (``tests.perf.child``) so that its
start-up, memory and event loop are its own.
"""
