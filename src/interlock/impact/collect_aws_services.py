"""The per-service listings of the AWS collector (`interlock.impact.collect_aws`), and the
inventory they fill in. Each `list_<service>(inv, make, region)` adds resources and edges."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from interlock.impact.model import Edge, Resource, attrs_of
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
_TIER_TAGS = ("env", "environment", "stage", "tier")
_SERVICE_TAGS = ("service", "app", "application")
GONE = frozenset({"terminated", "shutting-down", "deleting", "DELETE_COMPLETE", "INACTIVE"})


@dataclass
class Inventory:
    home: str
    resources: dict[str, Resource] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    handles: dict[tuple[str, str], str] = field(default_factory=dict)

    def rid(self, service: str, kind: str, key: str, region: str) -> str:
        base = f"aws:{service}:{kind}:{key}"
        return base if region == self.home else f"{base}@{region}"

    def add(self, rid: str, kind: str, name: str, region: str, tags: Any, **attrs: Any) -> str:
        tagmap = tags_of(tags)
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


def tags_of(tags: Any) -> dict[str, str]:
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


def pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, ())
    else:
        yield from getattr(client, operation)(**kwargs).get(key, ())


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


# --- EC2 -------------------------------------------------------------------------------------


def list_ec2(inv: Inventory, make: ClientFactory, region: str) -> None:
    ec2 = make("ec2", region)

    def vpc(key: str) -> str:
        return inv.rid("ec2", "vpc", key, region)

    for v in pages(ec2, "describe_vpcs", "Vpcs"):
        inv.add(vpc(v["VpcId"]), "vpc", v["VpcId"], region, v.get("Tags"), cidr=v.get("CidrBlock"))
    for s in pages(ec2, "describe_subnets", "Subnets"):
        rid = inv.rid("ec2", "subnet", s["SubnetId"], region)
        inv.add(rid, "subnet", s["SubnetId"], region, s.get("Tags"), cidr=s.get("CidrBlock"),
                vpc=s.get("VpcId"), az=s.get("AvailabilityZone"))  # fmt: skip
        inv.link(rid, [vpc(s["VpcId"])])
    for g in pages(ec2, "describe_security_groups", "SecurityGroups"):
        rid = inv.rid("ec2", "security-group", g["GroupId"], region)
        inv.add(rid, "security-group", g["GroupId"], region, g.get("Tags"),
                group_name=g.get("GroupName"), vpc=g.get("VpcId"))  # fmt: skip
        inv.link(rid, [vpc(g["VpcId"])] if g.get("VpcId") else [])
    for r in pages(ec2, "describe_instances", "Reservations"):
        for i in r.get("Instances", ()):
            _instance(inv, region, i)


def _instance(inv: Inventory, region: str, i: Mapping[str, Any]) -> None:
    state = i.get("State", {}).get("Name", "")
    if state in GONE:
        return
    rid = inv.rid("ec2", "instance", i["InstanceId"], region)
    inv.add(rid, "instance", i["InstanceId"], region, i.get("Tags"), state=state,
            type=i.get("InstanceType"), subnet=i.get("SubnetId"), vpc=i.get("VpcId"),
            image=i.get("ImageId"))  # fmt: skip
    groups = [g["GroupId"] for g in i.get("SecurityGroups", ())]
    inv.link(rid, [inv.rid("ec2", "subnet", i["SubnetId"], region)] if i.get("SubnetId") else [])
    inv.link(rid, [inv.rid("ec2", "security-group", g, region) for g in groups])


# --- load balancers, containers ----------------------------------------------------------------


def list_elbv2(inv: Inventory, make: ClientFactory, region: str) -> None:
    elb = make("elbv2", region)
    lbs = list(pages(elb, "describe_load_balancers", "LoadBalancers"))
    tgs = list(pages(elb, "describe_target_groups", "TargetGroups"))
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
        inv.link(
            rid, [inv.rid("ec2", "security-group", g, region) for g in lb.get("SecurityGroups", ())]
        )
        for tg in tgs:
            if lb["LoadBalancerArn"] in tg.get("LoadBalancerArns", ()):
                inv.link(rid, [inv.find("target-group", tg["TargetGroupArn"])], "routes-to")


def _elb_tags(elb: Any, arns: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for chunk in _chunks(arns, 20):
        for d in elb.describe_tags(ResourceArns=chunk).get("TagDescriptions", ()):
            out[d["ResourceArn"]] = d.get("Tags")
    return out


def list_ecs(inv: Inventory, make: ClientFactory, region: str) -> None:
    ecs = make("ecs", region)
    arns = list(pages(ecs, "list_clusters", "clusterArns"))
    for chunk in _chunks(arns, 100):
        for c in ecs.describe_clusters(clusters=chunk, include=["TAGS"]).get("clusters", ()):
            if c.get("status") in GONE:
                continue
            cid = inv.rid("ecs", "cluster", c["clusterName"], region)
            inv.add(
                cid, "ecs-cluster", c["clusterName"], region, c.get("tags"), arn=c["clusterArn"]
            )
            _ecs_services(inv, ecs, region, c["clusterName"], cid)


def _ecs_services(inv: Inventory, ecs: Any, region: str, cluster: str, cid: str) -> None:
    arns = list(pages(ecs, "list_services", "serviceArns", cluster=cluster))
    for chunk in _chunks(arns, 10):
        found = ecs.describe_services(cluster=cluster, services=chunk, include=["TAGS"])
        for s in found.get("services", ()):
            if s.get("status") in GONE:
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
            groups = net.get("securityGroups", ())
            inv.link(rid, [inv.rid("ec2", "security-group", g, region) for g in groups])


def list_eks(inv: Inventory, make: ClientFactory, region: str) -> None:
    eks = make("eks", region)
    for name in pages(eks, "list_clusters", "clusters"):
        c = eks.describe_cluster(name=name)["cluster"]
        rid = inv.rid("eks", "cluster", name, region)
        inv.add(rid, "eks-cluster", name, region, c.get("tags"), arn=c.get("arn"),
                version=c.get("version"), role=c.get("roleArn"))  # fmt: skip
        net = c.get("resourcesVpcConfig", {})
        inv.link(rid, [inv.rid("ec2", "subnet", n, region) for n in net.get("subnetIds", ())])
        inv.link(rid, [role_id(c.get("roleArn", ""))])


def role_id(arn: str) -> str:
    return f"aws:iam:role:{arn.rsplit('/', 1)[-1]}" if arn else ""


# --- data ------------------------------------------------------------------------------------


def list_rds(inv: Inventory, make: ClientFactory, region: str) -> None:
    rds = make("rds", region)
    # automated snapshots go with the instance; only a manual one outlives it
    manual = pages(rds, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual")
    snapped = {s.get("DBInstanceIdentifier") for s in manual}
    for g in pages(rds, "describe_db_subnet_groups", "DBSubnetGroups"):
        rid = inv.rid("rds", "db-subnet-group", g["DBSubnetGroupName"], region)
        inv.add(rid, "db-subnet-group", g["DBSubnetGroupName"], region, None, vpc=g.get("VpcId"))
        subnets = [s["SubnetIdentifier"] for s in g.get("Subnets", ())]
        inv.link(rid, [inv.rid("ec2", "subnet", s, region) for s in subnets])
    for c in pages(rds, "describe_db_clusters", "DBClusters"):
        rid = inv.rid("rds", "db-cluster", c["DBClusterIdentifier"], region)
        backup = "snapshot" if c.get("BackupRetentionPeriod", 0) > 0 else "none"
        inv.add(rid, "db-cluster", c["DBClusterIdentifier"], region, c.get("TagList"),
                arn=c.get("DBClusterArn"), engine=c.get("Engine"), backup=backup,
                subnet_group=c.get("DBSubnetGroup"))  # fmt: skip
        _rds_links(inv, rid, region, c.get("DBSubnetGroup"), c.get("VpcSecurityGroups", ()))
    for d in pages(rds, "describe_db_instances", "DBInstances"):
        _db_instance(inv, region, d, snapped)


def _db_instance(inv: Inventory, region: str, d: Mapping[str, Any], snapped: set[Any]) -> None:
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
        inv.link(rid, [cid], "contains")  # instance in cluster


def _rds_links(inv: Inventory, rid: str, region: str, group: Any, sgs: Iterable[Any]) -> None:
    inv.link(rid, [inv.rid("rds", "db-subnet-group", group, region)] if group else [])
    ids = [g.get("VpcSecurityGroupId", "") for g in sgs]
    inv.link(rid, [inv.rid("ec2", "security-group", g, region) for g in ids if g])


def list_dynamodb(inv: Inventory, make: ClientFactory, region: str) -> None:
    ddb = make("dynamodb", region)
    for name in pages(ddb, "list_tables", "TableNames"):
        t = ddb.describe_table(TableName=name)["Table"]
        pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        on = pitr.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        backups = ddb.list_backups(TableName=name).get("BackupSummaries", ())
        tags = ddb.list_tags_of_resource(ResourceArn=t["TableArn"]).get("Tags")
        inv.add(inv.rid("dynamodb", "table", name, region), "dynamodb-table", name, region, tags,
                arn=t["TableArn"], pitr=on, backup="snapshot" if on == "ENABLED" or backups else "none",
                key=_hash_key(t))  # fmt: skip


def _hash_key(table: Mapping[str, Any]) -> str:
    return next(
        (k["AttributeName"] for k in table.get("KeySchema", ()) if k["KeyType"] == "HASH"), ""
    )


def list_s3(inv: Inventory, make: ClientFactory, home: str) -> None:
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
            replicated = bool(
                s3.get_bucket_replication(Bucket=name).get("ReplicationConfiguration")
            )
        except ClientError:
            replicated = False
        backup = "snapshot" if replicated else "unknown" if versioning == "Enabled" else "none"
        inv.add(f"aws:s3:bucket:{name}", "s3-bucket", name, region, tags,
                arn=f"arn:aws:s3:::{name}", versioning=versioning, backup=backup)  # fmt: skip


# --- compute, identity, stacks -----------------------------------------------------------------


def list_lambda(inv: Inventory, make: ClientFactory, region: str) -> None:
    lam = make("lambda", region)
    for f in pages(lam, "list_functions", "Functions"):
        name = f["FunctionName"]
        tags = lam.list_tags(Resource=f["FunctionArn"]).get("Tags")
        rid = inv.rid("lambda", "function", name, region)
        inv.add(rid, "lambda-function", name, region, tags, arn=f["FunctionArn"],
                runtime=f.get("Runtime"), role=f.get("Role"), handler=f.get("Handler"))  # fmt: skip
        inv.link(rid, [role_id(f.get("Role", ""))])
        subnets = f.get("VpcConfig", {}).get("SubnetIds", ())
        inv.link(rid, [inv.rid("ec2", "subnet", s, region) for s in subnets])


def list_iam(inv: Inventory, make: ClientFactory, home: str) -> None:
    iam = make("iam", home)
    for r in pages(iam, "list_roles", "Roles"):
        name = r["RoleName"]
        tags = iam.list_role_tags(RoleName=name).get("Tags")
        inv.add(f"aws:iam:role:{name}", "iam-role", name, "global", tags, arn=r["Arn"],
                path=r.get("Path"))  # fmt: skip
