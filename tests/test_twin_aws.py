"""The AWS execution twin: a moto server seeded from a snapshot, the real AWS CLI v1 run against
it, the inventory diffed before and after. The snapshot is written as a real account would give
it (real-looking ids, account 111122223333), so every id in a command has to be mapped."""

from __future__ import annotations

import json

import pytest

from interlock.impact.model import Edge, Resource, Snapshot, attrs_of, build_snapshot
from interlock.impact.twin_aws import AwsTwin, simulate_aws
from interlock.impact.twin_aws_run import aws_args, check_endpoint, run_cli
from interlock.model import Effect
from interlock.model.errors import InterlockError

REGION = "eu-west-1"
ACCOUNT = "111122223333"
VPC, SUB_A, SUB_B = "vpc-0a1b2c3d4e5f60718", "subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"
SG, INSTANCE = "sg-0123456789abcdef0", "i-0fedcba9876543210"
TG_ARN = f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/api/0123456789abcdef"
LB_ARN = (
    f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/api-alb/0123456789abcdef"
)
LOGS_ONLY_QUEUE = {
    "Resources": {"Orders": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"}}}
}


def _r(rid: str, kind: str, name: str, tier: str = "prod", **attrs: object) -> Resource:
    from interlock.impact.collect_aws_services import PROFILE

    stateful, root, minutes = PROFILE.get(kind, (False, False, 10))
    backup = str(attrs.pop("backup", "unknown"))
    values = {"region": REGION, **attrs}
    return Resource(
        rid, kind, name, tier, "payments", stateful, backup, "", minutes, root, attrs_of(values)
    )


def sample_snapshot() -> Snapshot:
    """A production service on AWS: VPC, subnets, SG, instance, ALB, ECS, RDS, S3, a stack."""
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/api-task"
    rs = [
        _r(f"aws:ec2:vpc:{VPC}", "vpc", VPC, cidr="10.20.0.0/16", label="main"),
        _r(
            f"aws:ec2:subnet:{SUB_A}",
            "subnet",
            SUB_A,
            cidr="10.20.1.0/24",
            vpc=VPC,
            az=f"{REGION}a",
        ),
        _r(
            f"aws:ec2:subnet:{SUB_B}",
            "subnet",
            SUB_B,
            cidr="10.20.2.0/24",
            vpc=VPC,
            az=f"{REGION}b",
        ),
        _r(f"aws:ec2:security-group:{SG}", "security-group", SG, vpc=VPC, group_name="web"),
        _r(f"aws:ec2:instance:{INSTANCE}", "instance", INSTANCE, subnet=SUB_A, type="t3.micro"),
        _r("aws:elbv2:target-group:api", "target-group", "api", arn=TG_ARN, vpc=VPC, port="80"),
        _r("aws:elbv2:load-balancer:api-alb", "load-balancer", "api-alb", arn=LB_ARN),
        _r("aws:ecs:cluster:payments", "ecs-cluster", "payments"),
        _r("aws:ecs:service:payments/api", "ecs-service", "api", cluster="payments", desired="2"),
        _r("aws:iam:role:api-task", "iam-role", "api-task", arn=role_arn, region="global"),
        _r("aws:rds:db-subnet-group:main-db", "db-subnet-group", "main-db"),
        _r(
            "aws:rds:db-instance:orders-prod",
            "db-instance",
            "orders-prod",
            backup="snapshot",
            engine="postgres",
        ),
        _r("aws:s3:bucket:assets-prod", "s3-bucket", "assets-prod", versioning="Enabled"),
        _r("aws:dynamodb:table:sessions-prod", "dynamodb-table", "sessions-prod", key="k"),
        _r(
            "aws:cloudformation:stack:app-prod",
            "stack",
            "app-prod",
            arn=f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/app-prod/1",
        ),
        _r(
            "aws:s3:bucket:app-logs-prod",
            "s3-bucket",
            "app-logs-prod",
            stack="app-prod",
            logical_id="Logs",
        ),
        _r(
            "aws:cloudformation:stack-resource:app-prod/Orders",
            "sqs-queue",
            "orders",
            stack="app-prod",
            logical_id="Orders",
            type="AWS::SQS::Queue",
        ),
    ]
    es = [
        Edge(f"aws:ec2:subnet:{SUB_A}", f"aws:ec2:vpc:{VPC}"),
        Edge(f"aws:ec2:subnet:{SUB_B}", f"aws:ec2:vpc:{VPC}"),
        Edge(f"aws:ec2:security-group:{SG}", f"aws:ec2:vpc:{VPC}"),
        Edge(f"aws:ec2:instance:{INSTANCE}", f"aws:ec2:subnet:{SUB_A}"),
        Edge(f"aws:ec2:instance:{INSTANCE}", f"aws:ec2:security-group:{SG}"),
        Edge("aws:elbv2:target-group:api", f"aws:ec2:vpc:{VPC}"),
        Edge("aws:elbv2:load-balancer:api-alb", f"aws:ec2:subnet:{SUB_A}"),
        Edge("aws:elbv2:load-balancer:api-alb", f"aws:ec2:subnet:{SUB_B}"),
        Edge("aws:elbv2:load-balancer:api-alb", f"aws:ec2:security-group:{SG}"),
        Edge("aws:elbv2:load-balancer:api-alb", "aws:elbv2:target-group:api", "routes-to"),
        Edge("aws:ecs:service:payments/api", "aws:ecs:cluster:payments"),
        Edge("aws:ecs:service:payments/api", "aws:elbv2:target-group:api"),
        Edge("aws:ecs:service:payments/api", f"aws:ec2:subnet:{SUB_A}"),
        Edge("aws:rds:db-subnet-group:main-db", f"aws:ec2:subnet:{SUB_A}"),
        Edge("aws:rds:db-subnet-group:main-db", f"aws:ec2:subnet:{SUB_B}"),
        Edge("aws:rds:db-instance:orders-prod", "aws:rds:db-subnet-group:main-db"),
        Edge("aws:rds:db-instance:orders-prod", f"aws:ec2:security-group:{SG}"),
        Edge("aws:s3:bucket:app-logs-prod", "aws:cloudformation:stack:app-prod", "contains"),
        Edge(
            "aws:cloudformation:stack-resource:app-prod/Orders",
            "aws:cloudformation:stack:app-prod",
            "contains",
        ),
    ]
    return build_snapshot(rs, es, "aws", "2026-11-25T12:00:00+00:00")


@pytest.fixture
def twin():
    with AwsTwin(sample_snapshot(), REGION) as t:
        yield t


def _effect_of(settings, command: str) -> Effect:
    from interlock.service import CheckCall, operations

    (op,) = operations(CheckCall(command=command), settings)
    return op.effect


def test_every_resource_of_the_sample_is_seeded(twin):
    assert twin.unseeded == ()


def test_a_stack_update_that_drops_a_bucket_is_caught_though_no_pack_calls_it_destroy(
    twin, settings
):
    command = (
        "aws cloudformation update-stack --stack-name app-prod "
        f"--template-body '{json.dumps(LOGS_ONLY_QUEUE)}'"
    )
    assert _effect_of(settings, command) is not Effect.DESTROY
    result = twin.run(command)
    assert result.exit_code == 0, result.stderr
    assert result.ids("delete") == ("aws:s3:bucket:app-logs-prod",)


def test_renaming_a_database_deletes_the_old_name_and_creates_the_new(twin, settings):
    command = (
        "aws rds modify-db-instance --db-instance-identifier orders-prod "
        "--new-db-instance-identifier orders-old --apply-immediately"
    )
    assert _effect_of(settings, command) is not Effect.DESTROY
    result = twin.run(command)
    assert result.exit_code == 0, result.stderr
    assert result.ids("delete") == ("aws:rds:db-instance:orders-prod",)
    assert result.ids("create") == ("aws:rds:db-instance:orders-old",)


def test_snapshot_ids_in_a_command_are_mapped_to_the_twin_and_back(twin):
    result = twin.run(f"aws ec2 terminate-instances --instance-ids {INSTANCE}")
    assert result.exit_code == 0, result.stderr
    assert [(c.resource, c.effect) for c in result.changes] == [
        (f"aws:ec2:instance:{INSTANCE}", "delete")
    ]


def test_scaling_a_service_to_zero_is_an_update(twin):
    result = twin.run(
        [
            "aws",
            "ecs",
            "update-service",
            "--cluster",
            "payments",
            "--service",
            "api",
            "--desired-count",
            "0",
        ]
    )
    assert [(c.resource, c.effect) for c in result.changes] == [
        ("aws:ecs:service:payments/api", "update")
    ]


def test_delete_then_recreate_is_a_replacement(twin):
    result = twin.run(
        [
            "aws s3api delete-bucket --bucket assets-prod",
            f"aws s3api create-bucket --bucket assets-prod --create-bucket-configuration LocationConstraint={REGION}",
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert result.ids("replace") == ("aws:s3:bucket:assets-prod",)


def test_a_failing_command_reports_its_exit_code_and_changes_nothing(twin):
    result = twin.run("aws dynamodb delete-table --table-name no-such-table")
    assert result.exit_code != 0 and "ResourceNotFound" in result.stderr
    assert result.changes == ()


def test_the_profile_and_endpoint_the_agent_wrote_are_dropped(twin):
    result = twin.run(
        "AWS_PROFILE=prod aws --profile prod --endpoint-url https://dynamodb.eu-west-1.amazonaws.com "
        "dynamodb delete-table --table-name sessions-prod"
    )
    assert result.exit_code == 0, result.stderr
    assert result.ids("delete") == ("aws:dynamodb:table:sessions-prod",)


def test_boto3_code_runs_against_the_twin(twin):
    def drop(make):
        make("s3", REGION).delete_bucket(Bucket="assets-prod")

    assert twin.run_boto3(drop).ids("delete") == ("aws:s3:bucket:assets-prod",)


def test_the_same_command_on_the_same_snapshot_gives_the_same_digest():
    command = "aws dynamodb delete-table --table-name sessions-prod"
    first = simulate_aws(sample_snapshot(), command, REGION)
    second = simulate_aws(sample_snapshot(), command, REGION)
    assert first.digest == second.digest and first.digest.startswith("awt1:sha256:")
    assert first.stdout  # the CLI's own answer, request ids and all


def test_what_moto_refuses_is_listed_as_unseeded():
    bad = Resource("aws:ec2:subnet:subnet-1", "subnet", "subnet-1",
                   attrs=attrs_of({"region": REGION, "vpc": "vpc-missing", "cidr": "10.0.0.0/24"}))  # fmt: skip
    with AwsTwin(build_snapshot([bad], [], "aws", ""), REGION) as t:
        assert t.unseeded == ("aws:ec2:subnet:subnet-1",)


@pytest.mark.parametrize(
    "url",
    [
        "https://ec2.eu-west-1.amazonaws.com",
        "http://localhost:5000",
        "http://127.0.0.1.example.com:5000",
        "http://10.0.0.1:5000",
        "http://127.0.0.1",
        "ftp://127.0.0.1:21",
    ],
)
def test_an_endpoint_other_than_loopback_is_refused(url):
    with pytest.raises(InterlockError) as caught:
        AwsTwin(sample_snapshot(), REGION, endpoint_url=url)
    assert caught.value.code == "impact.twin_endpoint"
    with pytest.raises(InterlockError) as caught:
        run_cli(["s3", "ls"], url, REGION)
    assert caught.value.code == "impact.twin_endpoint"


def test_the_loopback_endpoint_is_accepted():
    assert check_endpoint("http://127.0.0.1:4566") == "http://127.0.0.1:4566"


@pytest.mark.parametrize(
    "command",
    [
        "rm -rf /",
        "aws s3 cp s3://assets-prod/key /etc/passwd",
        "aws s3 sync s3://assets-prod .",
        "aws s3api get-object --bucket assets-prod --key k /tmp/out",
        "aws s3 ls 'unclosed",
        "",
    ],
)
def test_commands_the_twin_will_not_run_are_refused(command):
    with pytest.raises(InterlockError) as caught:
        aws_args(command)
    assert caught.value.code == "impact.twin_command"


def test_arguments_keep_everything_but_profile_and_endpoint():
    args = aws_args(
        "aws --profile=prod s3api delete-bucket --endpoint-url=http://x --bucket b --region us-east-1"
    )
    assert args == ["s3api", "delete-bucket", "--bucket", "b", "--region", "us-east-1"]


# -- a proposal's `aws` operations, wrappers peeled (interlock.impact.twin_aws_calls) ------------

BARE_RB = "aws s3 rb s3://assets-prod --force"
DROP_DB = "aws rds delete-db-instance --db-instance-identifier orders-prod --skip-final-snapshot"


def _plan(text: str, snapshot: Snapshot | None = None, region: str | None = None):
    from interlock.impact.twin_aws_calls import twin_plan
    from interlock.parse.shell import analyze_shell

    return twin_plan(analyze_shell(text), snapshot or sample_snapshot(), region)


@pytest.mark.parametrize(
    "wrapped",
    [
        f"sudo {BARE_RB}",
        f"timeout 30 {BARE_RB}",
        f"env AWS_PROFILE=prod {BARE_RB}",
        f"AWS_PROFILE=prod {BARE_RB}",
        f"bash -c '{BARE_RB}'",
        f"{BARE_RB} | tee out.txt",
        f"{BARE_RB} && echo done",
        f"sudo -u ops env AWS_PROFILE=prod timeout -s KILL 30 nice {BARE_RB} > log.txt",
    ],
)
def test_a_wrapped_command_runs_on_the_twin_as_the_bare_command(wrapped):
    (call,) = _plan(wrapped).calls
    assert call.argv == ("aws", "s3", "rb", "s3://assets-prod", "--force", "--region", REGION)
    assert call.text != "" and call.region_from == "snapshot"


def test_operations_that_are_not_aws_writes_are_listed_as_ignored():
    plan = _plan(f"aws s3 ls && {BARE_RB} | tee out.txt && echo done")
    assert [c.argv[:3] for c in plan.calls] == [("aws", "s3", "rb")]
    assert plan.ignored == ("aws s3 ls", "tee out.txt", "echo done")
    assert _plan("s3cmd rb s3://assets-prod && rm -rf /tmp/x").calls == ()


def test_two_wrapped_aws_commands_in_one_proposal_combine_on_one_twin():
    from interlock.impact.twin_aws_calls import simulate_proposal

    snap = sample_snapshot()
    wrapped = simulate_proposal(snap, f"sudo {BARE_RB} && timeout 30 {DROP_DB} | tee log.txt")
    bare = simulate_proposal(snap, f"{BARE_RB}; {DROP_DB}")
    assert wrapped is not None and bare is not None
    assert wrapped.result.exit_code == 0, wrapped.result.stderr
    assert wrapped.result.ids("delete") == (
        "aws:rds:db-instance:orders-prod",
        "aws:s3:bucket:assets-prod",
    )
    assert wrapped.result.changes == bare.result.changes
    assert wrapped.result.digest == bare.result.digest
    assert len(wrapped.plan.calls) == 2 and wrapped.plan.ignored == ("tee log.txt",)


@pytest.mark.parametrize(
    ("text", "option", "region", "source"),
    [
        (f"AWS_REGION=us-west-2 aws --region ap-south-1 {BARE_RB[4:]}", None, "ap-south-1", "flag"),
        (f"AWS_REGION=us-west-2 {BARE_RB}", "ca-central-1", "us-west-2", "env"),
        (f"env AWS_DEFAULT_REGION=us-west-2 {BARE_RB}", None, "us-west-2", "env"),
        (f"AWS_DEFAULT_REGION=sa-east-1 AWS_REGION=us-west-2 {BARE_RB}", None, "us-west-2", "env"),
        (f"export AWS_REGION=us-west-2; sudo {BARE_RB}", None, "us-west-2", "env"),
        (BARE_RB, "ca-central-1", "ca-central-1", "option"),
        (f"aws sns delete-topic --topic-arn arn:aws:sns:eu-north-1:{ACCOUNT}:t", None, "eu-north-1", "arn"),
        (BARE_RB, None, REGION, "snapshot"),
    ],
)  # fmt: skip
def test_the_region_comes_from_the_command_then_the_option_then_the_snapshot(
    text, option, region, source
):
    (call,) = _plan(text, region=option).calls
    assert (call.region, call.region_from) == (region, source)
    assert call.argv.count("--region") + sum(a.startswith("--region=") for a in call.argv) == 1


def test_a_snapshot_in_several_regions_leaves_the_default_region():
    spread = [
        _r("aws:s3:bucket:a", "s3-bucket", "a"),
        _r("aws:s3:bucket:b@us-west-2", "s3-bucket", "b", region="us-west-2"),
    ]
    (call,) = _plan(BARE_RB, build_snapshot(spread, [], "aws", "")).calls
    assert (call.region, call.region_from) == ("us-east-1", "default")


def test_a_region_set_in_the_command_environment_is_where_the_twin_runs_it():
    from interlock.impact.twin_aws_calls import simulate_proposal

    drop = "aws dynamodb delete-table --table-name sessions-prod"
    here = simulate_proposal(sample_snapshot(), f"AWS_REGION={REGION} {drop}", "us-west-2")
    assert here is not None and here.result.exit_code == 0, here and here.result.stderr
    assert here.result.ids("delete") == ("aws:dynamodb:table:sessions-prod",)
    elsewhere = simulate_proposal(sample_snapshot(), f"env AWS_DEFAULT_REGION=us-west-2 {drop}")
    assert elsewhere is not None and elsewhere.plan.regions == ("us-west-2",)
    assert elsewhere.result.exit_code != 0 and elsewhere.result.changes == ()


@pytest.mark.parametrize(
    "text",
    [
        'aws s3 rb "s3://$(cat bucket.txt)"',
        "B=assets-prod; aws s3 rb s3://$B",
        "sudo aws dynamodb delete-table --table-name $TABLE",
        "cat buckets | xargs aws s3 rb",
        "$(which aws) s3 rb s3://assets-prod",
        f"AWS_REGION=$R {BARE_RB}",
        f"export AWS_DEFAULT_REGION=$(cat region); {BARE_RB}",
        f"AWS_REGION=moon {BARE_RB}",
        f"sudo {BARE_RB} && aws s3 cp s3://assets-prod/k /etc/passwd",
    ],
)
def test_what_the_twin_cannot_run_as_written_is_refused_before_anything_runs(text):
    from interlock.impact.twin_aws_calls import run_plan

    with pytest.raises(InterlockError) as caught:
        run_plan(sample_snapshot(), _plan(text))
    assert caught.value.code == "impact.twin_command"


def test_a_proposal_without_aws_writes_does_not_start_the_twin():
    from interlock.impact.twin_aws_calls import simulate_proposal

    assert simulate_proposal(sample_snapshot(), "aws s3 ls s3://assets-prod && rm -rf x") is None
