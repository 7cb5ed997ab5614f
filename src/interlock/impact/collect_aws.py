"""Collect a live AWS inventory through boto3 (an edge: it does network I/O).

    collect(source, regions, now) -> Snapshot

`source` is a boto3 `Session` or a client factory `(service, region) -> client`
(`client_factory(endpoint_url=…)` makes one, e.g. for a moto server). Regional services are
listed in every region, S3 and IAM once. Resource ids are `aws:<service>:<kind>:<key>`; a
resource of a region other than the first gets `@<region>` appended, so regions never collide.

| kind | id | name | edges (source depends on target) |
|---|---|---|---|
| vpc | aws:ec2:vpc:<vpc-id> | vpc id | |
| subnet | aws:ec2:subnet:<id> | subnet id | → vpc |
| security-group | aws:ec2:security-group:<id> | group id | → vpc |
| instance | aws:ec2:instance:<id> | instance id | → subnet, → security groups |
| load-balancer | aws:elbv2:load-balancer:<name> | name | → subnets, → security groups; routes-to → target groups |
| target-group | aws:elbv2:target-group:<name> | name | → vpc |
| ecs-cluster | aws:ecs:cluster:<name> | name | |
| ecs-service | aws:ecs:service:<cluster>/<name> | name | → cluster, → target groups, → subnets |
| eks-cluster | aws:eks:cluster:<name> | name | → subnets, → role |
| db-subnet-group | aws:rds:db-subnet-group:<name> | name | → subnets |
| db-instance, db-cluster | aws:rds:db-instance:<id>, …db-cluster:<id> | identifier | → subnet group, → security groups; cluster contains instance |
| dynamodb-table | aws:dynamodb:table:<name> | name | |
| s3-bucket | aws:s3:bucket:<name> | name | |
| lambda-function | aws:lambda:function:<name> | name | → role, → subnets |
| iam-role | aws:iam:role:<name> | name | |
| stack | aws:cloudformation:stack:<name> | name | contains → its resources |

A stack resource of a kind not collected above becomes `aws:cloudformation:stack-resource:
<stack>/<logical id>` with a kind derived from its type (`AWS::SQS::Queue` → `sqs-queue`).
Resources in a stack carry `stack` and `logical_id` attrs.

Tier comes from an `env`/`environment`/`stage`/`tier` tag, else the name (`guess_tier`), else
the VPC, cluster or stack the resource belongs to. Backup: an RDS instance or cluster with
automated backups or a snapshot, or a DynamoDB table with point-in-time recovery or a backup,
is `snapshot`, else `none`; an S3 bucket with replication is `snapshot`, with versioning only
`unknown` (versions do not survive deleting the bucket), else `none`.
Any AWS error fails the whole collection (`input.inventory`): a partial inventory would
understate a blast radius.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from interlock.impact import collect_aws_services as svc
from interlock.impact.collect_aws_services import GONE, ClientFactory, Inventory, pages
from interlock.impact.model import Resource, Snapshot, attrs_of, build_snapshot
from interlock.model.errors import InputError

__all__ = ["ClientFactory", "client_factory", "collect"]

_STATEFUL_TYPES = frozenset(
    {"AWS::SQS::Queue", "AWS::EFS::FileSystem", "AWS::Kinesis::Stream", "AWS::DocDB::DBCluster"}
    | {"AWS::ElastiCache::ReplicationGroup", "AWS::OpenSearchService::Domain"}
)
_CFN_KINDS = {
    "AWS::EC2::VPC": "vpc",
    "AWS::EC2::Subnet": "subnet",
    "AWS::EC2::SecurityGroup": "security-group",
    "AWS::EC2::Instance": "instance",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "load-balancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "target-group",
    "AWS::ECS::Cluster": "ecs-cluster",
    "AWS::ECS::Service": "ecs-service",
    "AWS::EKS::Cluster": "eks-cluster",
    "AWS::RDS::DBSubnetGroup": "db-subnet-group",
    "AWS::RDS::DBInstance": "db-instance",
    "AWS::RDS::DBCluster": "db-cluster",
    "AWS::DynamoDB::Table": "dynamodb-table",
    "AWS::S3::Bucket": "s3-bucket",
    "AWS::Lambda::Function": "lambda-function",
    "AWS::IAM::Role": "iam-role",
    "AWS::CloudFormation::Stack": "stack",
}


def client_factory(session: Any = None, endpoint_url: str | None = None) -> ClientFactory:
    """A cached `(service, region) -> boto3 client` for a session (default: boto3's)."""
    import boto3
    from botocore.config import Config

    sess = session if session is not None else boto3.session.Session()
    config = Config(retries={"max_attempts": 2}, connect_timeout=5, read_timeout=30)
    cache: dict[tuple[str, str], Any] = {}

    def make(service: str, region: str) -> Any:
        if (service, region) not in cache:
            cache[service, region] = sess.client(
                service, region_name=region, endpoint_url=endpoint_url, config=config
            )
        return cache[service, region]

    return make


def collect(source: Any, regions: Sequence[str], now: datetime | str) -> Snapshot:
    """Inventory of the account `source` reaches, in `regions` (the first also for S3/IAM)."""
    if not regions:
        raise InputError("aws inventory: no region given; pass --region", "input.inventory")
    make: ClientFactory = source if not hasattr(source, "client") else client_factory(source)
    fetched = now if isinstance(now, str) else now.isoformat()
    inv = Inventory(regions[0])
    for region in regions:
        for step in _REGIONAL:
            _guarded(step, inv, make, region)
    for step in _GLOBAL:
        _guarded(step, inv, make, regions[0])
    for region in regions:  # last: a stack's members must already be known
        _guarded(_stacks, inv, make, region)
    return build_snapshot(_inherit_tiers(inv), inv.edges, "aws", fetched)


def _guarded(step: Callable[..., None], inv: Inventory, make: ClientFactory, *args: Any) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        step(inv, make, *args)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        op = exc.operation_name
        raise _failed(f"`{op}` answered `{code}`") from None
    except BotoCoreError as exc:
        raise _failed(f"{exc.__class__.__name__}") from None


def _failed(what: str) -> InputError:
    return InputError(
        f"aws inventory: {what}; check the credentials, region and endpoint", "input.inventory"
    )


def _stacks(inv: Inventory, make: ClientFactory, region: str) -> None:
    cfn = make("cloudformation", region)
    for s in pages(cfn, "describe_stacks", "Stacks"):
        if s.get("StackStatus") in GONE:
            continue
        name = s["StackName"]
        rid = inv.rid("cloudformation", "stack", name, region)
        inv.add(rid, "stack", name, region, s.get("Tags"), arn=s.get("StackId"),
                status=s.get("StackStatus"))  # fmt: skip
        for r in pages(cfn, "list_stack_resources", "StackResourceSummaries", StackName=name):
            if r.get("ResourceStatus") != "DELETE_COMPLETE":
                inv.link(_stack_member(inv, region, name, r), [rid], "contains")  # member in stack


def _stack_member(inv: Inventory, region: str, stack: str, r: Mapping[str, Any]) -> str:
    rtype, logical = r["ResourceType"], r["LogicalResourceId"]
    physical = r.get("PhysicalResourceId", "")
    kind = _CFN_KINDS.get(rtype, "")
    found = inv.find(kind, physical) or inv.find(kind, physical.rsplit("/", 1)[-1])
    extra = {"stack": stack, "logical_id": logical}
    if found:
        old = inv.resources[found]
        inv.resources[found] = replace(old, attrs=attrs_of({**dict(old.attrs), **extra}))
        return found
    rid = inv.rid("cloudformation", "stack-resource", f"{stack}/{logical}", region)
    kind = kind or rtype.removeprefix("AWS::").lower().replace("::", "-")
    name = physical.rstrip("/").rsplit("/", 1)[-1] or logical
    return inv.add(rid, kind, name, region, None, type=rtype, physical_id=physical,
                   stateful=rtype in _STATEFUL_TYPES, **extra)  # fmt: skip


def _inherit_tiers(inv: Inventory) -> list[Resource]:
    """An untagged resource takes the tier of the VPC, cluster or stack it belongs to."""
    parents: dict[str, list[str]] = {}
    for e in inv.edges:
        child, parent = e.source, e.target  # a member depends on / sits in its container
        parents.setdefault(child, []).append(parent)
    res = inv.resources
    for _ in range(4):  # VPC → subnet → instance → … is at most a few hops deep
        for rid, r in list(res.items()):
            if r.tier != "unknown":
                continue
            tiers = [res[p].tier for p in parents.get(rid, ()) if p in res]
            known = sorted({t for t in tiers if t != "unknown"})
            if len(known) == 1:
                res[rid] = replace(r, tier=known[0])
    return list(res.values())


_Step = Callable[[Inventory, ClientFactory, str], None]
_REGIONAL: tuple[_Step, ...] = (
    svc.list_ec2,
    svc.list_elbv2,
    svc.list_ecs,
    svc.list_eks,
    svc.list_rds,
    svc.list_dynamodb,
    svc.list_lambda,
)
_GLOBAL: tuple[_Step, ...] = (svc.list_s3, svc.list_iam)
