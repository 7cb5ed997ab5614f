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
Resources in a stack carry `stack` and `logical-id` attrs.

Tier comes from an `env`/`environment`/`stage`/`tier` tag, else the name (`guess_tier`), else
the VPC, cluster or stack the resource belongs to. Backup: an RDS instance or cluster with
automated backups or a snapshot, or a DynamoDB table with point-in-time recovery or a backup,
is `snapshot`, else `none`; an S3 bucket with replication is `snapshot`, with versioning only
`unknown` (versions do not survive deleting the bucket), else `none`.
Any AWS error fails the whole collection (`input.inventory`): a partial inventory would
understate a blast radius.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from interlock.impact.model import Edge, Resource, Snapshot, attrs_of, build_snapshot
from interlock.model.errors import InputError
from interlock.resolve import guess_tier

ClientFactory = Callable[[str, str], Any]

# kind: (stateful, env_root, restore_minutes)
PROFILE: dict[str, tuple[bool, bool, int]] = {
    "vpc": (False, True, 30),
    "subnet": (False, False, 10),
    "security-group": (False, False, 5),
    "instance": (False, False, 15),
    "load-balancer": (False, False, 15),
    "target-group": (False, False, 5),
    "ecs-cluster": (False, True, 15),
    "ecs-service": (False, False, 10),
    "eks-cluster": (False, True, 30),
    "db-subnet-group": (False, False, 5),
    "db-instance": (True, True, 60),
    "db-cluster": (True, True, 90),
    "dynamodb-table": (True, False, 30),
    "s3-bucket": (True, False, 30),
    "lambda-function": (False, False, 5),
    "iam-role": (False, False, 5),
    "stack": (False, True, 30),
}
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
_TIER_TAGS = ("env", "environment", "stage", "tier")
_SERVICE_TAGS = ("service", "app", "application")
_GONE = frozenset({"terminated", "shutting-down", "deleting", "DELETE_COMPLETE", "INACTIVE"})


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
    inv = _Inventory(regions[0])
    for region in regions:
        for step in _REGIONAL:
            _guarded(step, inv, make, region)
    for step in _GLOBAL:
        _guarded(step, inv, make, regions[0])
    _guarded(_stacks_all, inv, make, regions[0], regions)
    return build_snapshot(_inherit_tiers(inv), inv.edges, "aws", fetched)


@dataclass
class _Inventory:
    home: str
    resources: dict[str, Resource] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    handles: dict[tuple[str, str], str] = field(default_factory=dict)

    def rid(self, service: str, kind: str, key: str, region: str) -> str:
        base = f"aws:{service}:{kind}:{key}"
        return base if region == self.home else f"{base}@{region}"

    def add(self, rid: str, kind: str, name: str, region: str, tags: Any, **attrs: Any) -> str:
        tagmap = _tags(tags)
        stateful, root, minutes = PROFILE.get(kind, (False, False, 10))
        label = tagmap.get("Name", "")
        tier = _tier_of(tagmap, name, label)
        service = next((v for k, v in tagmap.items() if k.lower() in _SERVICE_TAGS), "")
        backup = attrs.pop("backup", "unknown")
        stateful = attrs.pop("stateful", stateful)
        values = {"region": region, "label": label if label != name else "", **attrs}
        self.resources[rid] = Resource(
            rid, kind, name, tier, service, stateful, backup, "", minutes, root, attrs_of(values)
        )
        for handle in (name, attrs.get("arn", ""), rid.rsplit(":", 1)[-1]):
            if handle:
                self.handles[kind, handle] = rid
        return rid

    def link(self, source: str, targets: Iterable[str], kind: str = "depends-on") -> None:
        self.edges.extend(Edge(source, t, kind) for t in targets if t)

    def find(self, kind: str, handle: str) -> str:
        return self.handles.get((kind, handle), "")


def _guarded(step: Callable[..., None], inv: _Inventory, make: ClientFactory, *args: Any) -> None:
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


def _tags(tags: Any) -> dict[str, str]:
    if isinstance(tags, Mapping):
        return {str(k): str(v) for k, v in tags.items()}
    out = {}
    for t in tags or ():
        key = t.get("Key", t.get("key"))
        if key is not None:
            out[str(key)] = str(t.get("Value", t.get("value", "")))
    return out


def _tier_of(tags: Mapping[str, str], *names: str) -> str:
    for key, value in tags.items():
        if key.lower() in _TIER_TAGS and (tier := guess_tier(value)) is not None:
            return tier.value
    for name in names:
        if name and (tier := guess_tier(name)) is not None:
            return tier.value
    return "unknown"


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, ())
    else:
        yield from getattr(client, operation)(**kwargs).get(key, ())


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


# --- EC2 -------------------------------------------------------------------------------------


def _ec2(inv: _Inventory, make: ClientFactory, region: str) -> None:
    ec2 = make("ec2", region)
    vpc = lambda key: inv.rid("ec2", "vpc", key, region)  # noqa: E731
    for v in _pages(ec2, "describe_vpcs", "Vpcs"):
        inv.add(vpc(v["VpcId"]), "vpc", v["VpcId"], region, v.get("Tags"), cidr=v.get("CidrBlock"))
    for s in _pages(ec2, "describe_subnets", "Subnets"):
        rid = inv.rid("ec2", "subnet", s["SubnetId"], region)
        inv.add(rid, "subnet", s["SubnetId"], region, s.get("Tags"), cidr=s.get("CidrBlock"),
                vpc=s.get("VpcId"), az=s.get("AvailabilityZone"))  # fmt: skip
        inv.link(rid, [vpc(s["VpcId"])])
    for g in _pages(ec2, "describe_security_groups", "SecurityGroups"):
        rid = inv.rid("ec2", "security-group", g["GroupId"], region)
        inv.add(rid, "security-group", g["GroupId"], region, g.get("Tags"),
                group_name=g.get("GroupName"), vpc=g.get("VpcId"))  # fmt: skip
        inv.link(rid, [vpc(g["VpcId"])] if g.get("VpcId") else [])
    for r in _pages(ec2, "describe_instances", "Reservations"):
        for i in r.get("Instances", ()):
            _instance(inv, region, i)


def _instance(inv: _Inventory, region: str, i: Mapping[str, Any]) -> None:
    state = i.get("State", {}).get("Name", "")
    if state in _GONE:
        return
    rid = inv.rid("ec2", "instance", i["InstanceId"], region)
    inv.add(rid, "instance", i["InstanceId"], region, i.get("Tags"), state=state,
            type=i.get("InstanceType"), subnet=i.get("SubnetId"), vpc=i.get("VpcId"),
            image=i.get("ImageId"))  # fmt: skip
    groups = [g["GroupId"] for g in i.get("SecurityGroups", ())]
    inv.link(rid, [inv.rid("ec2", "subnet", i["SubnetId"], region)] if i.get("SubnetId") else [])
    inv.link(rid, [inv.rid("ec2", "security-group", g, region) for g in groups])


# --- load balancers, containers ----------------------------------------------------------------


def _elbv2(inv: _Inventory, make: ClientFactory, region: str) -> None:
    elb = make("elbv2", region)
    lbs = list(_pages(elb, "describe_load_balancers", "LoadBalancers"))
    tgs = list(_pages(elb, "describe_target_groups", "TargetGroups"))
    tags = _elb_tags(elb, [x["LoadBalancerArn"] for x in lbs] + [x["TargetGroupArn"] for x in tgs])
    for tg in tgs:
        rid = inv.rid("elbv2", "target-group", tg["TargetGroupName"], region)
        inv.add(rid, "target-group", tg["TargetGroupName"], region, tags.get(tg["TargetGroupArn"]),
                arn=tg["TargetGroupArn"], vpc=tg.get("VpcId"), port=tg.get("Port"),
                protocol=tg.get("Protocol"), target_type=tg.get("TargetType"))  # fmt: skip
        inv.link(rid, [inv.rid("ec2", "vpc", tg["VpcId"], region)] if tg.get("VpcId") else [])
    for lb in lbs:
        rid = inv.rid("elbv2", "load-balancer", lb["LoadBalancerName"], region)
        inv.add(rid, "load-balancer", lb["LoadBalancerName"], region, tags.get(lb["LoadBalancerArn"]),
                arn=lb["LoadBalancerArn"], type=lb.get("Type"), scheme=lb.get("Scheme"),
                vpc=lb.get("VpcId"), dns=lb.get("DNSName"))  # fmt: skip
        subnets = [z["SubnetId"] for z in lb.get("AvailabilityZones", ()) if z.get("SubnetId")]
        inv.link(rid, [inv.rid("ec2", "subnet", s, region) for s in subnets])
        inv.link(rid, [inv.rid("ec2", "security-group", g, region) for g in lb.get("SecurityGroups", ())])
        for tg in tgs:
            if lb["LoadBalancerArn"] in tg.get("LoadBalancerArns", ()):
                inv.link(rid, [inv.find("target-group", tg["TargetGroupArn"])], "routes-to")


def _elb_tags(elb: Any, arns: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chunk in _chunks(arns, 20):
        for d in elb.describe_tags(ResourceArns=chunk).get("TagDescriptions", ()):
            out[d["ResourceArn"]] = d.get("Tags")
    return out


def _ecs(inv: _Inventory, make: ClientFactory, region: str) -> None:
    ecs = make("ecs", region)
    arns = list(_pages(ecs, "list_clusters", "clusterArns"))
    for chunk in _chunks(arns, 100):
        for c in ecs.describe_clusters(clusters=chunk, include=["TAGS"]).get("clusters", ()):
            if c.get("status") in _GONE:
                continue
            cid = inv.rid("ecs", "cluster", c["clusterName"], region)
            inv.add(cid, "ecs-cluster", c["clusterName"], region, c.get("tags"), arn=c["clusterArn"])
            _ecs_services(inv, ecs, region, c["clusterName"], cid)


def _ecs_services(inv: _Inventory, ecs: Any, region: str, cluster: str, cid: str) -> None:
    arns = list(_pages(ecs, "list_services", "serviceArns", cluster=cluster))
    for chunk in _chunks(arns, 10):
        found = ecs.describe_services(cluster=cluster, services=chunk, include=["TAGS"])
        for s in found.get("services", ()):
            if s.get("status") in _GONE:
                continue
            name = s["serviceName"]
            rid = inv.rid("ecs", "service", f"{cluster}/{name}", region)
            inv.add(rid, "ecs-service", name, region, s.get("tags"), arn=s.get("serviceArn"),
                    cluster=cluster, desired=s.get("desiredCount"),
                    task_definition=s.get("taskDefinition"))  # fmt: skip
            inv.link(rid, [cid])
            tgs = [lb.get("targetGroupArn", "") for lb in s.get("loadBalancers", ())]
            inv.link(rid, [inv.find("target-group", t) for t in tgs])
            net = s.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
            inv.link(rid, [inv.rid("ec2", "subnet", n, region) for n in net.get("subnets", ())])


def _eks(inv: _Inventory, make: ClientFactory, region: str) -> None:
    eks = make("eks", region)
    for name in _pages(eks, "list_clusters", "clusters"):
        c = eks.describe_cluster(name=name)["cluster"]
        rid = inv.rid("eks", "cluster", name, region)
        inv.add(rid, "eks-cluster", name, region, c.get("tags"), arn=c.get("arn"),
                version=c.get("version"), role=c.get("roleArn"))  # fmt: skip
        net = c.get("resourcesVpcConfig", {})
        inv.link(rid, [inv.rid("ec2", "subnet", n, region) for n in net.get("subnetIds", ())])
        inv.link(rid, [_role_id(c.get("roleArn", ""))])


def _role_id(arn: str) -> str:
    return f"aws:iam:role:{arn.rsplit('/', 1)[-1]}" if arn else ""


# --- data ------------------------------------------------------------------------------------


def _rds(inv: _Inventory, make: ClientFactory, region: str) -> None:
    rds = make("rds", region)
    snapped = {s.get("DBInstanceIdentifier") for s in _pages(rds, "describe_db_snapshots", "DBSnapshots")}
    for g in _pages(rds, "describe_db_subnet_groups", "DBSubnetGroups"):
        rid = inv.rid("rds", "db-subnet-group", g["DBSubnetGroupName"], region)
        inv.add(rid, "db-subnet-group", g["DBSubnetGroupName"], region, None, vpc=g.get("VpcId"))
        subnets = [s["SubnetIdentifier"] for s in g.get("Subnets", ())]
        inv.link(rid, [inv.rid("ec2", "subnet", s, region) for s in subnets])
    for c in _pages(rds, "describe_db_clusters", "DBClusters"):
        rid = inv.rid("rds", "db-cluster", c["DBClusterIdentifier"], region)
        backup = "snapshot" if c.get("BackupRetentionPeriod", 0) > 0 else "none"
        inv.add(rid, "db-cluster", c["DBClusterIdentifier"], region, c.get("TagList"),
                arn=c.get("DBClusterArn"), engine=c.get("Engine"), backup=backup,
                subnet_group=c.get("DBSubnetGroup"))  # fmt: skip
        _rds_links(inv, rid, region, c.get("DBSubnetGroup"), c.get("VpcSecurityGroups", ()))
    for d in _pages(rds, "describe_db_instances", "DBInstances"):
        _db_instance(inv, region, d, snapped)


def _db_instance(inv: _Inventory, region: str, d: Mapping[str, Any], snapped: set[Any]) -> None:
    ident = d["DBInstanceIdentifier"]
    cluster = d.get("DBClusterIdentifier")
    cid = inv.rid("rds", "db-cluster", cluster, region) if cluster else ""
    kept = d.get("BackupRetentionPeriod", 0) > 0 or ident in snapped
    backup = "snapshot" if kept else "none"
    if cid in inv.resources:
        backup = inv.resources[cid].backup
    group = d.get("DBSubnetGroup", {})
    rid = inv.rid("rds", "db-instance", ident, region)
    inv.add(rid, "db-instance", ident, region, d.get("TagList"), arn=d.get("DBInstanceArn"),
            engine=d.get("Engine"), instance_class=d.get("DBInstanceClass"), cluster=cluster,
            backup=backup, backup_retention=d.get("BackupRetentionPeriod"),
            subnet_group=group.get("DBSubnetGroupName"), vpc=group.get("VpcId"))  # fmt: skip
    _rds_links(inv, rid, region, group.get("DBSubnetGroupName"), d.get("VpcSecurityGroups", ()))
    if cid:
        inv.link(cid, [rid], "contains")


def _rds_links(inv: _Inventory, rid: str, region: str, group: Any, sgs: Iterable[Any]) -> None:
    inv.link(rid, [inv.rid("rds", "db-subnet-group", group, region)] if group else [])
    ids = [g.get("VpcSecurityGroupId", "") for g in sgs]
    inv.link(rid, [inv.rid("ec2", "security-group", g, region) for g in ids if g])


def _dynamodb(inv: _Inventory, make: ClientFactory, region: str) -> None:
    ddb = make("dynamodb", region)
    for name in _pages(ddb, "list_tables", "TableNames"):
        t = ddb.describe_table(TableName=name)["Table"]
        pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        on = pitr.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        backups = ddb.list_backups(TableName=name).get("BackupSummaries", ())
        tags = ddb.list_tags_of_resource(ResourceArn=t["TableArn"]).get("Tags")
        inv.add(inv.rid("dynamodb", "table", name, region), "dynamodb-table", name, region, tags,
                arn=t["TableArn"], pitr=on, backup="snapshot" if on == "ENABLED" or backups else "none",
                key=_hash_key(t))  # fmt: skip


def _hash_key(table: Mapping[str, Any]) -> str:
    return next((k["AttributeName"] for k in table.get("KeySchema", ()) if k["KeyType"] == "HASH"), "")


def _s3(inv: _Inventory, make: ClientFactory, home: str) -> None:
    from botocore.exceptions import ClientError

    s3 = make("s3", home)
    for b in s3.list_buckets().get("Buckets", ()):
        name = b["Name"]
        region = s3.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
        versioning = s3.get_bucket_versioning(Bucket=name).get("Status", "")
        try:
            tags = s3.get_bucket_tagging(Bucket=name).get("TagSet")
        except ClientError:
            tags = None  # NoSuchTagSet: a bucket without tags
        try:
            replicated = bool(s3.get_bucket_replication(Bucket=name).get("ReplicationConfiguration"))
        except ClientError:
            replicated = False
        backup = "snapshot" if replicated else "unknown" if versioning == "Enabled" else "none"
        inv.add(f"aws:s3:bucket:{name}", "s3-bucket", name, region, tags,
                arn=f"arn:aws:s3:::{name}", versioning=versioning, backup=backup)  # fmt: skip


# --- compute, identity, stacks -----------------------------------------------------------------


def _lambda(inv: _Inventory, make: ClientFactory, region: str) -> None:
    lam = make("lambda", region)
    for f in _pages(lam, "list_functions", "Functions"):
        name = f["FunctionName"]
        tags = lam.list_tags(Resource=f["FunctionArn"]).get("Tags")
        rid = inv.rid("lambda", "function", name, region)
        inv.add(rid, "lambda-function", name, region, tags, arn=f["FunctionArn"],
                runtime=f.get("Runtime"), role=f.get("Role"), handler=f.get("Handler"))  # fmt: skip
        inv.link(rid, [_role_id(f.get("Role", ""))])
        subnets = f.get("VpcConfig", {}).get("SubnetIds", ())
        inv.link(rid, [inv.rid("ec2", "subnet", s, region) for s in subnets])


def _iam(inv: _Inventory, make: ClientFactory, home: str) -> None:
    iam = make("iam", home)
    for r in _pages(iam, "list_roles", "Roles"):
        name = r["RoleName"]
        tags = iam.list_role_tags(RoleName=name).get("Tags")
        inv.add(f"aws:iam:role:{name}", "iam-role", name, "global", tags, arn=r["Arn"],
                path=r.get("Path"))  # fmt: skip


def _stacks_all(inv: _Inventory, make: ClientFactory, home: str, regions: Sequence[str]) -> None:
    del home
    for region in regions:
        _stacks(inv, make, region)


def _stacks(inv: _Inventory, make: ClientFactory, region: str) -> None:
    cfn = make("cloudformation", region)
    for s in _pages(cfn, "describe_stacks", "Stacks"):
        if s.get("StackStatus") in _GONE:
            continue
        name = s["StackName"]
        rid = inv.rid("cloudformation", "stack", name, region)
        inv.add(rid, "stack", name, region, s.get("Tags"), arn=s.get("StackId"),
                status=s.get("StackStatus"))  # fmt: skip
        for r in _pages(cfn, "list_stack_resources", "StackResourceSummaries", StackName=name):
            if r.get("ResourceStatus") != "DELETE_COMPLETE":
                inv.link(rid, [_stack_member(inv, region, name, r)], "contains")


def _stack_member(inv: _Inventory, region: str, stack: str, r: Mapping[str, Any]) -> str:
    rtype, physical, logical = r["ResourceType"], r.get("PhysicalResourceId", ""), r["LogicalResourceId"]
    kind = _CFN_KINDS.get(rtype, "")
    found = inv.find(kind, physical) or inv.find(kind, physical.rsplit("/", 1)[-1])
    extra = {"stack": stack, "logical-id": logical}
    if found:
        old = inv.resources[found]
        inv.resources[found] = replace(old, attrs=attrs_of({**dict(old.attrs), **extra}))
        return found
    rid = inv.rid("cloudformation", "stack-resource", f"{stack}/{logical}", region)
    kind = kind or rtype.removeprefix("AWS::").lower().replace("::", "-")
    name = physical.rstrip("/").rsplit("/", 1)[-1] or logical
    return inv.add(rid, kind, name, region, None, type=rtype, physical_id=physical,
                   stateful=rtype in _STATEFUL_TYPES, **extra)  # fmt: skip


def _inherit_tiers(inv: _Inventory) -> list[Resource]:
    """An untagged resource takes the tier of the VPC, cluster or stack it belongs to."""
    parents: dict[str, list[str]] = {}
    for e in inv.edges:
        child, parent = (e.target, e.source) if e.kind == "contains" else (e.source, e.target)
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


_REGIONAL = (_ec2, _elbv2, _ecs, _eks, _rds, _dynamodb, _lambda)
_GLOBAL = (_s3, _iam)
