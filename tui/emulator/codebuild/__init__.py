"""Emulated CodeBuild: builds planned at start, their scripted logs, and the moto handlers."""
