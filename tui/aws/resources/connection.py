"""The CodeStar (CodeConnections) connection to GitHub. Created PENDING; a person completes it in the console."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tui.aws.resources.base import error_code, is_ours, tags_from_list, tags_to_list

CODESTAR = "codestar-connections"
CODECONNECTIONS = "codeconnections"


def service_of(arn: str) -> str:
    """``codeconnections`` for ``arn:aws:codeconnections:…``, else ``codestar-connections``."""
    parts = arn.split(":")
    return CODECONNECTIONS if len(parts) > 2 and parts[2] == CODECONNECTIONS else CODESTAR


class ConnectionGateway:
    """``client_for(service)`` returns the boto3 client for ``codestar-connections`` or ``codeconnections``.

    ``arn_hint`` (the config's ``connection_arn``) is tried first; otherwise a connection is found by name
    among those carrying this pipeline's tags (names are not unique in AWS).
    """

    kind = "connection"

    def __init__(self, client_for: Callable[[str], Any], pipeline: str, arn_hint: str | None = None) -> None:
        self.client_for = client_for
        self.pipeline = pipeline
        self.arn_hint = arn_hint

    def get(self, arn: str) -> dict[str, Any] | None:
        client = self.client_for(service_of(arn))
        try:
            conn = client.get_connection(ConnectionArn=arn)["Connection"]
        except Exception as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise
        tags = tags_from_list(client.list_tags_for_resource(ResourceArn=arn).get("Tags"))
        return {
            "provider_type": conn.get("ProviderType"),
            "tags": tags,
            "arn": conn["ConnectionArn"],
            "status": conn.get("ConnectionStatus", "PENDING"),
            "name": conn.get("ConnectionName"),
        }

    def status(self, arn: str) -> str | None:
        """PENDING / AVAILABLE / ERROR, or None when the connection is gone (one GetConnection call)."""
        client = self.client_for(service_of(arn))
        try:
            return str(client.get_connection(ConnectionArn=arn)["Connection"].get("ConnectionStatus", "PENDING"))
        except Exception as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise

    def read(self, name: str) -> dict[str, Any] | None:
        if self.arn_hint:
            found = self.get(self.arn_hint)
            if found is not None:
                return found
        client = self.client_for(CODESTAR)
        kwargs: dict[str, Any] = {"ProviderTypeFilter": "GitHub", "MaxResults": 100}
        while True:  # ListConnections has no botocore paginator
            page = client.list_connections(**kwargs)
            for conn in page.get("Connections", []):
                if conn.get("ConnectionName") != name:
                    continue
                found = self.get(conn["ConnectionArn"])
                if found is not None and is_ours(found["tags"], self.pipeline):
                    return found
            if not page.get("NextToken"):
                return None
            kwargs["NextToken"] = page["NextToken"]

    def find_all(self, name: str) -> list[str]:
        """The ARNs of every connection named ``name`` that carries this pipeline's tags (names are not unique:
        an earlier concurrent run may have created two)."""
        client = self.client_for(CODESTAR)
        kwargs: dict[str, Any] = {"ProviderTypeFilter": "GitHub", "MaxResults": 100}
        found = []
        while True:
            page = client.list_connections(**kwargs)
            for conn in page.get("Connections", []):
                if conn.get("ConnectionName") == name:
                    current = self.get(conn["ConnectionArn"])
                    if current is not None and is_ours(current["tags"], self.pipeline):
                        found.append(current["arn"])
            if not page.get("NextToken"):
                return found
            kwargs["NextToken"] = page["NextToken"]

    def create(self, name: str, spec: Mapping[str, Any]) -> dict[str, Any]:
        client = self.client_for(CODESTAR)
        arn = client.create_connection(
            ProviderType=spec["provider_type"], ConnectionName=name, Tags=tags_to_list(spec["tags"])
        )["ConnectionArn"]
        return {"arn": arn, "status": "PENDING"}

    def update(self, name: str, spec: Mapping[str, Any], changed: Iterable[str], current: Mapping[str, Any]) -> None:
        # Only tags can change on a connection; a different provider means a new connection.
        if "tags" in set(changed):
            client = self.client_for(service_of(current["arn"]))
            client.tag_resource(ResourceArn=current["arn"], Tags=tags_to_list(spec["tags"]))

    def delete(self, name: str) -> None:
        current = self.read(name)
        if current is not None:
            self.delete_arn(current["arn"])

    def delete_arn(self, arn: str) -> None:
        try:
            self.client_for(service_of(arn)).delete_connection(ConnectionArn=arn)
        except Exception as exc:
            if error_code(exc) != "ResourceNotFoundException":
                raise
