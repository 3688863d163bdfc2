"""Provisioning: the plan, applying it, the GitHub connection handshake; flow.py leads from one to the next."""
