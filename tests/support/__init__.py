"""Helpers shared by the test packages (fixtures come in through pytest_plugins in tests/conftest.py)."""
