"""The AWS collector against a real moto server over HTTP, seeded with a small production
environment: a VPC with two subnets and a security group, an instance, an ALB and its target
group, an ECS cluster and service behind it, an EKS cluster, an RDS instance with backups and
one without, a DynamoDB table with point-in-time recovery, S3 buckets, a Lambda function and its
role, and a CloudFormation stack holding a bucket and a queue."""

from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest

from interlock.impact.collect_aws import client_factory, collect
from interlock.impact.model import Edge, snapshot_from_json, snapshot_to_json
from interlock.impact.twin_aws_run import MotoServer
from interlock.model.errors import InterlockError

REGION = "eu-west-1"
NOW = "2026-11-25T12:00:00+00:00"


def seed_environment(url: str, region: str = REGION) -> dict[str, str]:
    """Create the sample environment with boto3; answer the generated ids."""
    kw = {"endpoint_url": url, "region_name": region}
    kw |= {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    ec2, elb, ecs = (boto3.client(s, **kw) for s in ("ec2", "elbv2", "ecs"))
    env = [{"Key": "env", "Value": "prod"}]
    vpc = ec2.create_vpc(
        CidrBlock="10.0.0.0/16",
        TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [*env, {"Key": "Name", "Value": "main"}]}
        ],
    )["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image, MinCount=1, MaxCount=1, SubnetId=subnets[0], SecurityGroupIds=[sg]
    )["Instances"][0]["InstanceId"]
    lb = elb.create_load_balancer(Name="api-alb", Subnets=subnets, SecurityGroups=[sg])
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name="api", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")
    tg_arn = tg["TargetGroups"][0]["TargetGroupArn"]
    forward = [{"Type": "forward", "TargetGroupArn": tg_arn}]
    elb.create_listener(LoadBalancerArn=lb_arn, Protocol="HTTP", Port=80, DefaultActions=forward)
    ecs.create_cluster(clusterName="payments", tags=[{"key": "env", "value": "prod"}])
    ecs.register_task_definition(
        family="api", containerDefinitions=[{"name": "api", "image": "nginx", "memory": 128}]
    )
    ecs.create_service(
        cluster="payments",
        serviceName="api",
        taskDefinition="api",
        desiredCount=2,
        loadBalancers=[{"targetGroupArn": tg_arn, "containerName": "api", "containerPort": 80}],
        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
        tags=[{"key": "service", "value": "payments"}],
    )
    role = _identity_and_code(kw)
    boto3.client("eks", **kw).create_cluster(
        name="platform", roleArn=role, resourcesVpcConfig={"subnetIds": subnets}
    )
    _data(kw, subnets, sg)
    _stack(kw)
    return {"vpc": vpc, "sg": sg, "instance": instance, "subnet_a": subnets[0], "role": role}


def _identity_and_code(kw: dict[str, str]) -> str:
    iam = boto3.client("iam", **kw)
    role = iam.create_role(RoleName="thumbnailer-prod", AssumeRolePolicyDocument="{}")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("h.py", "def h(e, c):\n    return 1\n")
    boto3.client("lambda", **kw).create_function(
        FunctionName="thumbnailer",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="h.h",
        Code={"ZipFile": buf.getvalue()},
    )
    return str(role["Role"]["Arn"])


def _data(kw: dict[str, str], subnets: list[str], sg: str) -> None:
    rds = boto3.client("rds", **kw)
    rds.create_db_subnet_group(
        DBSubnetGroupName="main-db", DBSubnetGroupDescription="db", SubnetIds=subnets
    )
    common = {"DBInstanceClass": "db.t3.micro", "Engine": "postgres", "AllocatedStorage": 20}
    common |= {"MasterUsername": "app", "MasterUserPassword": "password-123"}
    rds.create_db_instance(
        DBInstanceIdentifier="orders-prod",
        DBSubnetGroupName="main-db",
        VpcSecurityGroupIds=[sg],
        BackupRetentionPeriod=7,
        **common,
    )
    rds.create_db_instance(DBInstanceIdentifier="scratch-dev", BackupRetentionPeriod=0, **common)
    ddb = boto3.client("dynamodb", **kw)
    ddb.create_table(
        TableName="sessions-prod",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.update_continuous_backups(
        TableName="sessions-prod",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    s3 = boto3.client("s3", **kw)
    where = {"LocationConstraint": kw["region_name"]}
    s3.create_bucket(Bucket="assets-prod", CreateBucketConfiguration=where)
    s3.put_bucket_versioning(Bucket="assets-prod", VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket="tmp-dev-scratch", CreateBucketConfiguration=where)


TEMPLATE = {
    "Resources": {
        "Logs": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "app-logs-prod"}},
        "Orders": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"}},
    }
}


def _stack(kw: dict[str, str]) -> None:
    boto3.client("cloudformation", **kw).create_stack(
        StackName="app-prod",
        TemplateBody=json.dumps(TEMPLATE),
        Tags=[{"Key": "env", "Value": "prod"}],
    )


@pytest.fixture(scope="module")
def aws():
    with MotoServer() as url:
        ids = seed_environment(url)
        make = client_factory(
            boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing"),
            endpoint_url=url,
        )
        yield collect(make, [REGION], NOW), ids, url


def test_every_collected_kind_is_present(aws):
    snap, _, _ = aws
    kinds = {r.kind for r in snap.resources}
    assert kinds >= {
        "vpc", "subnet", "security-group", "instance", "load-balancer", "target-group",
        "ecs-cluster", "ecs-service", "eks-cluster", "db-subnet-group", "db-instance",
        "dynamodb-table", "s3-bucket", "lambda-function", "iam-role", "stack", "sqs-queue",
    }  # fmt: skip
    assert snap.source == "aws" and snap.fetched_at == NOW
    assert snap.digest.startswith("inv1:sha256:")


def test_resource_ids_follow_the_documented_scheme(aws):
    snap, ids, _ = aws
    by_id = snap.by_id()
    assert by_id[f"aws:ec2:vpc:{ids['vpc']}"].env_root
    assert by_id["aws:rds:db-instance:orders-prod"].name == "orders-prod"
    assert by_id["aws:ecs:service:payments/api"].service == "payments"
    assert by_id["aws:s3:bucket:assets-prod"].attr("region") == REGION


def test_network_edges_run_from_instance_to_subnet_to_vpc(aws):
    snap, ids, _ = aws
    edges = set(snap.edges)
    inst, sub = f"aws:ec2:instance:{ids['instance']}", f"aws:ec2:subnet:{ids['subnet_a']}"
    assert Edge(inst, sub) in edges
    assert Edge(sub, f"aws:ec2:vpc:{ids['vpc']}") in edges
    assert Edge(inst, f"aws:ec2:security-group:{ids['sg']}") in edges
    assert Edge(f"aws:ec2:security-group:{ids['sg']}", f"aws:ec2:vpc:{ids['vpc']}") in edges


def test_load_balancer_service_and_database_edges(aws):
    snap, ids, _ = aws
    edges = set(snap.edges)
    lb, tg = "aws:elbv2:load-balancer:api-alb", "aws:elbv2:target-group:api"
    assert Edge(lb, tg, "routes-to") in edges
    assert Edge(lb, f"aws:ec2:security-group:{ids['sg']}") in edges
    assert Edge("aws:ecs:service:payments/api", "aws:ecs:cluster:payments") in edges
    assert Edge("aws:ecs:service:payments/api", tg) in edges
    db = "aws:rds:db-instance:orders-prod"
    assert Edge(db, "aws:rds:db-subnet-group:main-db") in edges
    assert Edge("aws:rds:db-subnet-group:main-db", f"aws:ec2:subnet:{ids['subnet_a']}") in edges
    assert Edge("aws:lambda:function:thumbnailer", "aws:iam:role:thumbnailer-prod") in edges
    assert Edge("aws:eks:cluster:platform", f"aws:ec2:subnet:{ids['subnet_a']}") in edges


def test_a_stack_contains_its_resources_and_is_an_environment_root(aws):
    snap, _, _ = aws
    by_id = snap.by_id()
    stack = by_id["aws:cloudformation:stack:app-prod"]
    assert stack.env_root and stack.tier == "prod"
    members = {e.source for e in snap.edges if e.target == stack.id and e.kind == "contains"}
    assert members == {
        "aws:s3:bucket:app-logs-prod",
        "aws:cloudformation:stack-resource:app-prod/Orders",
    }
    queue = by_id["aws:cloudformation:stack-resource:app-prod/Orders"]
    assert (queue.kind, queue.name, queue.stateful) == ("sqs-queue", "orders", True)
    assert by_id["aws:s3:bucket:app-logs-prod"].attr("logical_id") == "Logs"


def test_backups_come_from_retention_pitr_and_versioning(aws):
    snap, _, _ = aws
    by_id = snap.by_id()
    assert by_id["aws:rds:db-instance:orders-prod"].backup == "snapshot"
    assert by_id["aws:rds:db-instance:scratch-dev"].backup == "none"
    assert by_id["aws:dynamodb:table:sessions-prod"].backup == "snapshot"
    assert by_id["aws:s3:bucket:assets-prod"].backup == "unknown"  # versioning only
    assert by_id["aws:s3:bucket:tmp-dev-scratch"].backup == "none"
    stateful = {r.kind for r in snap.resources if r.stateful}
    assert stateful >= {"db-instance", "dynamodb-table", "s3-bucket"}
    assert "instance" not in stateful


def test_tiers_come_from_tags_names_and_the_vpc_a_resource_is_in(aws):
    snap, ids, _ = aws
    by_id = snap.by_id()
    assert by_id[f"aws:ec2:vpc:{ids['vpc']}"].tier == "prod"  # env tag
    assert by_id["aws:rds:db-instance:scratch-dev"].tier == "dev"  # name
    assert by_id[f"aws:ec2:instance:{ids['instance']}"].tier == "prod"  # subnet → VPC
    assert by_id["aws:ecs:cluster:payments"].tier == "prod"  # lower-case ecs tags


def test_the_snapshot_round_trips_through_its_file_format(aws):
    snap, _, _ = aws
    assert snapshot_from_json(snapshot_to_json(snap)).digest == snap.digest


def test_collecting_twice_gives_the_same_digest(aws):
    snap, _, url = aws
    make = client_factory(
        boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing"),
        endpoint_url=url,
    )
    assert collect(make, [REGION], "2030-01-01T00:00:00+00:00").digest == snap.digest


def test_a_second_region_gets_suffixed_ids(aws):
    _, _, url = aws
    make = client_factory(
        boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing"),
        endpoint_url=url,
    )
    snap = collect(make, [REGION, "us-west-2"], NOW)
    vpcs = [r.id for r in snap.resources if r.kind == "vpc"]
    assert any(v.endswith("@us-west-2") for v in vpcs)  # moto's default VPC there
    assert "aws:rds:db-instance:orders-prod" in snap.by_id()


def test_an_unreachable_endpoint_is_an_inventory_error():
    make = client_factory(
        boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing"),
        endpoint_url="http://127.0.0.1:9",
    )
    with pytest.raises(InterlockError) as caught:
        collect(make, [REGION], NOW)
    assert caught.value.code == "input.inventory"


def test_no_region_is_an_inventory_error():
    with pytest.raises(InterlockError) as caught:
        collect(lambda service, region: None, [], NOW)
    assert caught.value.code == "input.inventory"
