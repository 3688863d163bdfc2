"""Emulated CodeBuild: builds scheduled at start, their scripted logs, and the moto handlers."""
