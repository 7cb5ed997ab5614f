"""Seed a moto server from an inventory snapshot (the AWS twin's first step).

`seed(snapshot, make, region) -> Seeded` creates, in dependency order, the `aws:` resources of
the snapshot that moto can hold: IAM roles, VPCs, subnets, security groups, instances, DB
subnet groups, RDS clusters and instances (automated backups when the snapshot says
`snapshot`), target groups, load balancers with a listener per target group they route to, ECS
clusters and services, EKS clusters, DynamoDB tables (point-in-time recovery likewise), S3
buckets (versioning), Lambda functions and CloudFormation stacks. A stack's S3 buckets,
DynamoDB tables and SQS queues are created by the stack itself, so deleting or updating the
stack in the twin deletes them; its other members are created directly.

Names are kept; EC2 ids and ARNs are new, so `Seeded.tokens` maps each original id to the
twin's. Tags carry `Name`, `env` (the tier) and `service`, so collecting the twin gives the
same tiers. What moto refuses is listed in `Seeded.unseeded`, never silently dropped.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from interlock.impact.collect_aws_services import ClientFactory
from interlock.impact.model import Resource, Snapshot

_PASSWORD = "twin-password-1"  # the twin's databases hold no data
_TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})
_AMI = "ami-12c6146b"  # one of moto's stock images; the snapshot's own images do not exist there
_IN_STACK = frozenset({"s3-bucket", "dynamodb-table", "sqs-queue"})


@dataclass
class Seeded:
    tokens: dict[str, str] = field(default_factory=dict)  # original id/ARN → twin id/ARN
    unseeded: list[str] = field(default_factory=list)  # snapshot resource ids moto refused


@dataclass
class _Seeder:
    snap: Snapshot
    make: ClientFactory
    home: str
    out: Seeded = field(default_factory=Seeded)
    index: dict[tuple[str, str], list[Resource]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_id = self.snap.by_id()
        for e in self.snap.edges:
            if e.kind == "contains":  # member → container: index members under their container
                self.index.setdefault((e.target, e.kind), []).append(by_id[e.source])
            else:
                self.index.setdefault((e.source, e.kind), []).append(by_id[e.target])

    def region(self, r: Resource) -> str:
        region = r.attr("region")
        return self.home if region in ("", "global") else region

    def deps(self, r: Resource, kind: str | None, edge: str = "depends-on") -> Iterator[Resource]:
        for d in self.index.get((r.id, edge), ()):
            if kind is None or d.kind == kind:
                yield d

    def twin(self, r: Resource) -> str:
        return self.out.tokens.get(r.name, r.name)

    def twins(self, r: Resource, kind: str, edge: str = "depends-on") -> list[str]:
        return [self.twin(d) for d in self.deps(r, kind, edge)]

    def client(self, service: str, r: Resource) -> Any:
        return self.make(service, self.region(r))


def seed(snapshot: Snapshot, make: ClientFactory, region: str) -> Seeded:
    """Create the snapshot's AWS resources in the server `make` reaches."""
    from botocore.exceptions import BotoCoreError, ClientError

    s = _Seeder(snapshot, make, region)
    stacked = {r.id for r in snapshot.resources if r.attr("stack") and r.kind in _IN_STACK}
    for kind, create in _ORDER:
        for r in snapshot.resources:
            if r.kind != kind or not r.id.startswith("aws:") or r.id in stacked:
                continue
            try:
                create(s, r)
            except (ClientError, BotoCoreError, KeyError, ValueError):
                s.out.unseeded.append(r.id)
    return s.out


def tags(r: Resource, lower: bool = False) -> list[dict[str, str]]:
    values = {"Name": r.attr("label") or r.name, "env": r.tier, "service": r.service}
    pairs = [(k, v) for k, v in values.items() if v and v != "unknown"]
    if lower:
        return [{"key": k, "value": v} for k, v in pairs]
    return [{"Key": k, "Value": v} for k, v in pairs]


def _spec(kind: str, r: Resource) -> list[dict[str, Any]]:
    return [{"ResourceType": kind, "Tags": tags(r)}]


# --- identity, network, compute ------------------------------------------------------------------


def _role(s: _Seeder, r: Resource) -> None:
    iam = s.client("iam", r)
    path = r.attr("path", "/") or "/"
    made = iam.create_role(
        RoleName=r.name, Path=path, AssumeRolePolicyDocument=_TRUST, Tags=tags(r)
    )
    s.out.tokens[r.attr("arn")] = made["Role"]["Arn"]


def _vpc(s: _Seeder, r: Resource) -> None:
    cidr = r.attr("cidr", "10.0.0.0/16")
    made = s.client("ec2", r).create_vpc(CidrBlock=cidr, TagSpecifications=_spec("vpc", r))
    s.out.tokens[r.name] = made["Vpc"]["VpcId"]


def _subnet(s: _Seeder, r: Resource) -> None:
    vpc = s.out.tokens[r.attr("vpc")]
    kw = {"AvailabilityZone": r.attr("az")} if r.attr("az") else {}
    made = s.client("ec2", r).create_subnet(
        VpcId=vpc, CidrBlock=r.attr("cidr"), TagSpecifications=_spec("subnet", r), **kw
    )
    s.out.tokens[r.name] = made["Subnet"]["SubnetId"]


def _group(s: _Seeder, r: Resource) -> None:
    ec2, vpc = s.client("ec2", r), s.out.tokens[r.attr("vpc")]
    name = r.attr("group_name", r.name)
    if name == "default":  # every VPC has one already
        found = ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": [name]}]
        )
        s.out.tokens[r.name] = found["SecurityGroups"][0]["GroupId"]
        return
    made = ec2.create_security_group(
        GroupName=name, Description="twin", VpcId=vpc, TagSpecifications=_spec("security-group", r)
    )
    s.out.tokens[r.name] = made["GroupId"]


def _instance(s: _Seeder, r: Resource) -> None:
    made = s.client("ec2", r).run_instances(
        ImageId=_AMI,
        MinCount=1,
        MaxCount=1,
        InstanceType=r.attr("type", "t3.micro"),
        SubnetId=s.twins(r, "subnet")[0],
        SecurityGroupIds=s.twins(r, "security-group"),
        TagSpecifications=_spec("instance", r),
    )
    s.out.tokens[r.name] = made["Instances"][0]["InstanceId"]


def _target_group(s: _Seeder, r: Resource) -> None:
    made = s.client("elbv2", r).create_target_group(
        Name=r.name,
        Protocol=r.attr("protocol", "HTTP"),
        Port=int(r.attr("port", "80")),
        VpcId=s.out.tokens[r.attr("vpc")],
        TargetType=r.attr("target_type", "ip"),
        Tags=tags(r),
    )
    s.out.tokens[r.attr("arn")] = made["TargetGroups"][0]["TargetGroupArn"]


def _load_balancer(s: _Seeder, r: Resource) -> None:
    elb = s.client("elbv2", r)
    made = elb.create_load_balancer(
        Name=r.name,
        Subnets=s.twins(r, "subnet"),
        SecurityGroups=s.twins(r, "security-group"),
        Type=r.attr("type", "application"),
        Tags=tags(r),
    )
    arn = made["LoadBalancers"][0]["LoadBalancerArn"]
    s.out.tokens[r.attr("arn")] = arn
    for port, tg in enumerate(s.deps(r, "target-group", "routes-to"), start=80):
        action = {"Type": "forward", "TargetGroupArn": s.out.tokens[tg.attr("arn")]}
        elb.create_listener(
            LoadBalancerArn=arn, Protocol="HTTP", Port=port, DefaultActions=[action]
        )


# --- containers ----------------------------------------------------------------------------------


def _ecs_cluster(s: _Seeder, r: Resource) -> None:
    s.client("ecs", r).create_cluster(clusterName=r.name, tags=tags(r, lower=True))


def _ecs_service(s: _Seeder, r: Resource) -> None:
    ecs = s.client("ecs", r)
    container = {"name": r.name, "image": "twin", "memory": 128}
    task = ecs.register_task_definition(family=r.name, containerDefinitions=[container])
    lbs = [
        {
            "targetGroupArn": s.out.tokens[tg.attr("arn")],
            "containerName": r.name,
            "containerPort": 80,
        }
        for tg in s.deps(r, "target-group")
    ]
    groups = s.twins(r, "security-group")
    net = {"awsvpcConfiguration": {"subnets": s.twins(r, "subnet"), "securityGroups": groups}}
    ecs.create_service(
        cluster=r.attr("cluster"),
        serviceName=r.name,
        taskDefinition=task["taskDefinition"]["taskDefinitionArn"],
        desiredCount=int(r.attr("desired", "1")),
        loadBalancers=lbs,
        networkConfiguration=net,
        tags=tags(r, lower=True),
    )


def _eks_cluster(s: _Seeder, r: Resource) -> None:
    roles = [s.out.tokens.get(d.attr("arn"), "") for d in s.deps(r, "iam-role")]
    role = next((a for a in roles if a), "arn:aws:iam::123456789012:role/twin-eks")
    s.client("eks", r).create_cluster(
        name=r.name,
        roleArn=role,
        resourcesVpcConfig={"subnetIds": s.twins(r, "subnet")},
        tags={t["Key"]: t["Value"] for t in tags(r)},
    )


# --- data ----------------------------------------------------------------------------------------


def _db_subnet_group(s: _Seeder, r: Resource) -> None:
    s.client("rds", r).create_db_subnet_group(
        DBSubnetGroupName=r.name,
        DBSubnetGroupDescription="twin",
        SubnetIds=s.twins(r, "subnet"),
    )


def _db_cluster(s: _Seeder, r: Resource) -> None:
    s.client("rds", r).create_db_cluster(
        DBClusterIdentifier=r.name,
        Engine=r.attr("engine", "aurora-postgresql"),
        MasterUsername="twin",
        MasterUserPassword=_PASSWORD,
        BackupRetentionPeriod=7 if r.backup in ("snapshot", "verified") else 1,
        **_db_network(s, r),
        Tags=tags(r),
    )


def _db_instance(s: _Seeder, r: Resource) -> None:
    kw: dict[str, Any] = {"DBClusterIdentifier": r.attr("cluster")} if r.attr("cluster") else {}
    if not kw:
        kw = {"MasterUsername": "twin", "MasterUserPassword": _PASSWORD, "AllocatedStorage": 20}
        kw["BackupRetentionPeriod"] = 7 if r.backup in ("snapshot", "verified") else 0
        kw.update(_db_network(s, r))
    s.client("rds", r).create_db_instance(
        DBInstanceIdentifier=r.name,
        DBInstanceClass=r.attr("instance_class", "db.t3.micro"),
        Engine=r.attr("engine", "postgres"),
        Tags=tags(r),
        **kw,
    )


def _db_network(s: _Seeder, r: Resource) -> dict[str, Any]:
    kw: dict[str, Any] = {"VpcSecurityGroupIds": s.twins(r, "security-group")}
    if groups := [d.name for d in s.deps(r, "db-subnet-group")]:
        kw["DBSubnetGroupName"] = groups[0]
    return kw


def _table(s: _Seeder, r: Resource) -> None:
    ddb, key = s.client("dynamodb", r), r.attr("key", "id")
    ddb.create_table(
        TableName=r.name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=tags(r),
    )
    if r.backup in ("snapshot", "verified"):
        spec = {"PointInTimeRecoveryEnabled": True}
        ddb.update_continuous_backups(TableName=r.name, PointInTimeRecoverySpecification=spec)


def _bucket(s: _Seeder, r: Resource) -> None:
    s3, region = s.client("s3", r), s.region(r)
    kw = (
        {}
        if region == "us-east-1"
        else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    )
    s3.create_bucket(Bucket=r.name, **kw)
    if tagset := tags(r):
        s3.put_bucket_tagging(Bucket=r.name, Tagging={"TagSet": tagset})
    if r.attr("versioning") in ("Enabled", "Suspended"):
        config = {"Status": r.attr("versioning")}
        s3.put_bucket_versioning(Bucket=r.name, VersioningConfiguration=config)


def _function(s: _Seeder, r: Resource) -> None:
    roles = [s.out.tokens.get(d.attr("arn"), "") for d in s.deps(r, "iam-role")]
    role = next((a for a in roles if a), "") or _fallback_role(s, r)
    made = s.client("lambda", r).create_function(
        FunctionName=r.name,
        Runtime=r.attr("runtime", "python3.12"),
        Role=role,
        Handler=r.attr("handler", "index.handler"),
        Code={"ZipFile": _ZIP},
        Tags={t["Key"]: t["Value"] for t in tags(r)},
    )
    s.out.tokens[r.attr("arn")] = made["FunctionArn"]


def _fallback_role(s: _Seeder, r: Resource) -> str:
    iam = s.client("iam", r)
    try:
        return str(iam.get_role(RoleName="interlock-twin")["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        made = iam.create_role(RoleName="interlock-twin", AssumeRolePolicyDocument=_TRUST)
        return str(made["Role"]["Arn"])


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.py", "def handler(event, context):\n    return None\n")
    return buf.getvalue()


_ZIP = _zip()


# --- stacks --------------------------------------------------------------------------------------


def _stack(s: _Seeder, r: Resource) -> None:
    body = {"Resources": dict(_template_entry(m) for m in s.deps(r, None, "contains"))}
    body["Resources"] = {k: v for k, v in body["Resources"].items() if v}
    if not body["Resources"]:  # a stack must declare something
        body["Resources"] = {
            "TwinPlaceholder": {"Type": "AWS::CloudFormation::WaitConditionHandle"}
        }
    made = s.client("cloudformation", r).create_stack(
        StackName=r.name, TemplateBody=json.dumps(body), Tags=tags(r)
    )
    s.out.tokens[r.attr("arn")] = made["StackId"]


def _template_entry(m: Resource) -> tuple[str, dict[str, Any]]:
    logical = m.attr("logical_id") or m.name
    if m.kind == "s3-bucket":
        return logical, {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": m.name}}
    if m.kind == "sqs-queue":
        return logical, {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": m.name}}
    if m.kind == "dynamodb-table":
        key = m.attr("key", "id")
        props = {
            "TableName": m.name,
            "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": key, "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
        }
        return logical, {"Type": "AWS::DynamoDB::Table", "Properties": props}
    return logical, {}


_Create = Callable[[_Seeder, Resource], None]
_ORDER: tuple[tuple[str, _Create], ...] = (
    ("iam-role", _role),
    ("vpc", _vpc),
    ("subnet", _subnet),
    ("security-group", _group),
    ("instance", _instance),
    ("db-subnet-group", _db_subnet_group),
    ("db-cluster", _db_cluster),
    ("db-instance", _db_instance),
    ("target-group", _target_group),
    ("load-balancer", _load_balancer),
    ("ecs-cluster", _ecs_cluster),
    ("ecs-service", _ecs_service),
    ("eks-cluster", _eks_cluster),
    ("dynamodb-table", _table),
    ("s3-bucket", _bucket),
    ("lambda-function", _function),
    ("stack", _stack),
)
