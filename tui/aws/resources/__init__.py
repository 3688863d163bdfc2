"""Gateways for the resources provisioning manages. Each reads actual state into a plain, flat dict of
comparable fields (or ``None`` when absent) and creates, updates or deletes one resource. They take
boto3 clients as arguments and let botocore errors through; the services layer translates them."""
