"""The AWS partition of a region (``aws``, ``aws-cn``, ``aws-us-gov``, ``aws-iso*``, ``aws-eusc``…), read from
botocore's own partition data and matched by botocore's own rule, the one its endpoint resolution uses
(``partitions.json``, ``RuleSetStandardLibrary.aws_partition``): a region botocore lists, or one its partition's
``regionRegex`` matches, else the first partition, ``aws``. No hand list: a partition AWS adds arrives with botocore.

Every ARN pipeline-tui writes starts with ``arn:{partition_of(region)}:``; console links come from here too.
ARN format: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html and, for China,
https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

#: The AWS Management Console host of each partition whose console AWS documents
#: (https://docs.aws.amazon.com/general/latest/gr/mgmt-console.html,
#: https://docs.amazonaws.cn/en_us/aws/latest/userguide/general-info.html,
#: https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-iam.html). The isolated and sovereign
#: partitions publish none: their links use ``console.<the partition's DNS suffix>``, unverified.
_CONSOLE_HOSTS = {
    "aws": "console.aws.amazon.com",
    "aws-cn": "console.amazonaws.cn",
    "aws-us-gov": "console.amazonaws-us-gov.com",
}


@dataclass(frozen=True, slots=True)
class Partition:
    name: str  # the ARN partition: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-eusc…
    dns_suffix: str  # amazonaws.com, amazonaws.com.cn, c2s.ic.gov…
    regions: frozenset[str]  # the regions botocore lists for it (real ones; "aws-global" pseudo-regions left out)

    @property
    def console_host(self) -> str:
        return _CONSOLE_HOSTS.get(self.name, f"console.{self.dns_suffix}")


@functools.cache
def _library() -> tuple[Any, dict[str, Partition]]:
    from botocore.endpoint_provider import RuleSetStandardLibrary
    from botocore.loaders import create_loader

    data = create_loader().load_data("partitions")
    table = {
        item["id"]: Partition(
            name=item["id"],
            dns_suffix=item["outputs"]["dnsSuffix"],
            regions=frozenset(r for r in item.get("regions", {}) if not r.endswith("-global")),
        )
        for item in data["partitions"]
    }
    return RuleSetStandardLibrary(data), table


def partition_of(region: str) -> Partition:
    """The partition botocore resolves ``region`` to (``aws`` for ``*`` or a region it does not know)."""
    library, table = _library()
    return table[library.aws_partition(region)["name"]]


def partition_name(region: str) -> str:
    return partition_of(region).name


def all_partitions() -> tuple[Partition, ...]:
    return tuple(_library()[1].values())


def arn(service: str, region: str, account: str, resource: str, *, partition_from: str | None = None) -> str:
    """``arn:<partition>:<service>:<region>:<account>:<resource>``. A global service (IAM, S3, CloudFront) has no
    region in its ARNs: pass ``region=""`` and the region whose partition applies as ``partition_from``."""
    partition = partition_name(partition_from if partition_from is not None else region)
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"
