"""Fixtures shared by every test package."""

pytest_plugins = ["tests.support.aws", "tests.support.protocols"]
