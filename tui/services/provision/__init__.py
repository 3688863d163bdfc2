"""Provisioning: desired state from the config, plan, apply, destroy, and the connection handshake wait."""
