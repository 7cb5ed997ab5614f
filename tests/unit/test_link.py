"""A Terraform resource and the AWS resource it manages become one resource when merged."""

from __future__ import annotations

import json
from typing import Any

import pytest

from interlock.impact.blast import blast_radius
from interlock.impact.changes import changes_for
from interlock.impact.collect_aws_services import Inventory
from interlock.impact.link import backup, link, terraform_address, tier
from interlock.impact.loaders import from_catalogue, from_tfstate, merge
from interlock.impact.model import Edge, Resource, Snapshot, build_snapshot
from interlock.parse.shell import analyze_shell

REGION = "eu-west-1"
DB_ARN = "arn:aws:rds:eu-west-1:111122223333:db:payments-prod"
STACK_ARN = "arn:aws:cloudformation:eu-west-1:111122223333:stack/events/3f1c"
SERVICE_ARN = "arn:aws:ecs:eu-west-1:111122223333:service/prod/api"
DB, VPC, STACK = (
    "aws:rds:db-instance:payments-prod",
    "aws:ec2:vpc:vpc-0a1",
    "aws:cloudformation:stack:events",
)
QUEUE = "aws:cloudformation:stack-resource:events/Queue"
TABLE = "aws:dynamodb:table:events-idempotency"


def _instance(rtype: str, name: str, attributes: dict[str, Any], deps: tuple[str, ...] = ()):
    module, _, local = name.rpartition(".") if name.startswith("module.") else ("", "", name)
    block = {"mode": "managed", "type": rtype, "name": local, "provider": "aws"}
    if module:
        block["module"] = module
    block["instances"] = [{"attributes": attributes, "dependencies": list(deps)}]
    return block


def state(*blocks: dict[str, Any]) -> Snapshot:
    return from_tfstate(
        json.dumps({"version": 4, "terraform_version": "1.8.5", "resources": blocks})
    )


TF_RESOURCES = (
    _instance("aws_vpc", "main", {"id": "vpc-0a1", "tags": {"Name": "payments-prod"},
                                  "arn": "arn:aws:ec2:eu-west-1:111122223333:vpc/vpc-0a1"}),
    _instance("aws_db_instance", "module.db.main",
              {"id": "db-ABCDEF", "identifier": "payments-prod", "arn": DB_ARN,
               "backup_retention_period": 7, "tags": {"env": "prod"}}, ("aws_vpc.main",)),
    _instance("aws_cloudformation_stack", "events",
              {"id": STACK_ARN, "name": "events", "tags": {"env": "prod"}}),
    _instance("aws_ecs_task_definition", "api", {"id": "api", "family": "api"},
              ("aws_cloudformation_stack.events", "module.db.aws_db_instance.main")),
    _instance("aws_ecs_service", "api", {"id": SERVICE_ARN, "name": "api"},
              ("aws_ecs_task_definition.api",)),
)  # fmt: skip


def account() -> Snapshot:
    """The same account as the collector lists it, and what only it knows (the stack's
    members, a security group, a target group that happens to be called `api`)."""
    inv = Inventory(REGION)
    inv.add(VPC, "vpc", "vpc-0a1", REGION, [{"Key": "env", "Value": "prod"}])
    inv.add("aws:ec2:security-group:sg-1", "security-group", "sg-1", REGION, None, vpc="vpc-0a1")
    inv.add(DB, "db-instance", "payments-prod", REGION, None, arn=DB_ARN, backup="snapshot")
    inv.link(DB, ["aws:ec2:security-group:sg-1"])
    inv.add(STACK, "stack", "events", REGION, None, arn=STACK_ARN)
    inv.add(QUEUE, "sqs-queue", "events", REGION, None, stateful=True, stack="events")
    inv.add(TABLE, "dynamodb-table", "events-idempotency", REGION, None, backup="none")
    inv.link(QUEUE, [STACK], "contains")
    inv.link(TABLE, [STACK], "contains")
    inv.add("aws:ecs:service:prod/api", "ecs-service", "api", REGION, None, arn=SERVICE_ARN)
    inv.add("aws:elbv2:target-group:api", "target-group", "api", REGION, None)
    return build_snapshot(inv.resources.values(), inv.edges, "aws")


@pytest.fixture(scope="module")
def merged() -> Snapshot:
    return merge(state(*TF_RESOURCES), account())


def simulate(snapshot: Snapshot, command: str):
    return blast_radius(snapshot, changes_for(analyze_shell(command), snapshot))


# ---- what links ------------------------------------------------------------------------------


def test_an_equal_arn_makes_one_resource_with_the_aws_id_and_the_terraform_address(merged):
    ids = {r.id for r in merged.resources}
    assert DB in ids and "tf:module.db.aws_db_instance.main" not in ids
    db = merged.by_id()[DB]
    assert db.attr("address") == "module.db.aws_db_instance.main"
    assert db.attr("tf_type") == "aws_db_instance" and db.attr("id") == "db-ABCDEF"
    assert terraform_address(db) == "module.db.aws_db_instance.main"
    assert (db.kind, db.name, db.stateful, db.backup) == ("db-instance", "payments-prod", True,
                                                          "snapshot")  # fmt: skip


def test_an_equal_provider_id_links_resources_of_the_same_kind(merged):
    by_id = merged.by_id()
    assert by_id[VPC].attr("address") == "aws_vpc.main"  # the VPC id
    assert by_id[VPC].attr("tf_name") == "payments-prod"  # the state's name for it, kept
    assert by_id[STACK].attr("address") == "aws_cloudformation_stack.events"  # its id is its ARN
    assert by_id["aws:ecs:service:prod/api"].attr("address") == "aws_ecs_service.api"


def test_a_name_shared_by_two_kinds_links_nothing(merged):
    # the task definition's id is `api`, like the target group's name: not the same thing
    by_id = merged.by_id()
    assert "tf:aws_ecs_task_definition.api" in by_id
    assert by_id["aws:elbv2:target-group:api"].attr("address") == ""


def test_the_bucket_versioning_resource_is_not_the_bucket():
    tf = state(
        _instance("aws_s3_bucket", "receipts", {"id": "receipts", "bucket": "receipts",
                                                "arn": "arn:aws:s3:::receipts"}),
        _instance("aws_s3_bucket_versioning", "receipts", {"id": "receipts", "bucket": "receipts"}),
    )  # fmt: skip
    inv = Inventory(REGION)
    inv.add("aws:s3:bucket:receipts", "s3-bucket", "receipts", REGION, None,
            arn="arn:aws:s3:::receipts")  # fmt: skip
    snap = merge(tf, build_snapshot(inv.resources.values(), [], "aws"))
    assert sorted(r.id for r in snap.resources) == [
        "aws:s3:bucket:receipts",
        "tf:aws_s3_bucket_versioning.receipts",
    ]


def test_an_id_two_aws_resources_share_links_nothing():
    # the same table name in two regions; the state gives no ARN to tell them apart
    tf = state(_instance("aws_dynamodb_table", "orders", {"id": "orders", "name": "orders"}))
    inv = Inventory(REGION)
    for region in (REGION, "us-east-1"):
        rid = inv.rid("dynamodb", "table", "orders", region)
        inv.add(rid, "dynamodb-table", "orders", region, None)
    snap = merge(tf, build_snapshot(inv.resources.values(), [], "aws"))
    assert len(snap.resources) == 3


def test_an_id_from_another_region_links_nothing():
    arn = "arn:aws:dynamodb:us-east-1:111122223333:table/orders"
    tf = state(_instance("aws_dynamodb_table", "orders", {"id": "orders", "arn": arn}))
    inv = Inventory(REGION)
    inv.add("aws:dynamodb:table:orders", "dynamodb-table", "orders", REGION, None)
    assert len(merge(tf, build_snapshot(inv.resources.values(), [], "aws")).resources) == 2


def test_two_terraform_resources_claiming_one_aws_resource_link_nothing():
    pair = [
        Resource(f"tf:aws_sns_topic.{n}", "sns-topic", "t", attrs=(("arn", "a"),)) for n in "ab"
    ]
    aws = Resource("aws:sns:topic:t", "sns-topic", "t", attrs=(("arn", "a"),))
    assert len(link([*pair, aws], []).resources) == 3


# ---- the graph and the blast radius ----------------------------------------------------------


def test_edges_of_both_views_point_at_the_linked_resource(merged):
    edges = set(merged.edges)
    assert Edge(DB, VPC) in edges  # the state's dependency, both ends linked
    assert Edge(DB, "aws:ec2:security-group:sg-1") in edges  # the collector's
    assert Edge("tf:aws_ecs_task_definition.api", DB) in edges  # into the linked resource
    assert not any(e.source.startswith("tf:module.db") or e.target == "tf:aws_vpc.main"
                   for e in edges)  # fmt: skip


def test_deleting_the_database_counts_it_once(merged):
    report = simulate(merged, "aws rds delete-db-instance --db-instance-identifier payments-prod")
    assert report.deleted == (DB,)
    assert report.impaired == ("aws:ecs:service:prod/api", "tf:aws_ecs_task_definition.api")
    assert report.as_impact().deleted == 1 and report.data_loss == ()


def test_a_terraform_address_finds_the_linked_resource(merged):
    report = simulate(merged, "terraform apply -replace=module.db.aws_db_instance.main")
    assert report.replaced == (DB,)


def test_destroying_the_stack_through_terraform_deletes_what_only_aws_knows_it_holds(merged):
    report = simulate(merged, "terraform destroy -target=aws_cloudformation_stack.events")
    assert report.deleted == tuple(sorted([
        STACK, QUEUE, TABLE, "tf:aws_ecs_task_definition.api", "aws:ecs:service:prod/api"
    ]))  # fmt: skip
    assert report.data_loss == (QUEUE, TABLE)


def test_destroying_the_workspace_deletes_every_linked_resource_but_not_the_rest(merged):
    deleted = set(simulate(merged, "terraform destroy").deleted)
    assert {DB, VPC, STACK, QUEUE, "tf:aws_ecs_task_definition.api"} <= deleted
    assert "aws:elbv2:target-group:api" not in deleted
    assert "aws:ec2:security-group:sg-1" not in deleted


# ---- facts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aws", "tf", "want"),
    [("unknown", "prod", "prod"), ("staging", "prod", "prod"), ("dev", "unknown", "dev"),
     ("unknown", "unknown", "unknown"), ("local", "staging", "staging")],
)  # fmt: skip
def test_the_tier_is_the_known_and_stricter_one(aws, tf, want):
    assert tier(aws, tf) == tier(tf, aws) == want


@pytest.mark.parametrize(
    ("aws", "tf", "want"),
    [("snapshot", "none", "none"), ("unknown", "snapshot", "snapshot"),
     ("verified", "snapshot", "snapshot"), ("unknown", "unknown", "unknown")],
)  # fmt: skip
def test_the_backup_is_the_known_and_weaker_one(aws, tf, want):
    assert backup(aws, tf) == backup(tf, aws) == want


def test_facts_of_both_views_combine():
    tf = Resource("tf:aws_db_instance.x", "db-instance", "x", tier="prod", stateful=True,
                  backup="snapshot", restore_minutes=90, env_root=True,
                  attrs=(("address", "aws_db_instance.x"), ("arn", "a"), ("region", "eu-west-1"),
                         ("type", "aws_db_instance")))  # fmt: skip
    aws = Resource("aws:rds:db-instance:x", "db-instance", "x", backup="none", restore_minutes=60,
                   attrs=(("arn", "a"), ("region", "eu-west-1"), ("type", "db.r6g.large")))  # fmt: skip
    (one,) = link([tf, aws], []).resources
    assert (one.id, one.tier, one.stateful, one.backup, one.restore_minutes, one.env_root) == (
        "aws:rds:db-instance:x", "prod", True, "none", 90, True
    )  # fmt: skip
    assert (one.attr("type"), one.attr("tf_type")) == ("db.r6g.large", "aws_db_instance")


# ---- the catalogue ---------------------------------------------------------------------------


def catalogue(*entries: str) -> Snapshot:
    rows = "\n".join(f"      - {e}" for e in entries)
    return from_catalogue(f"services:\n  - name: payments\n    criticality: high\n"
                          f"    resources:\n{rows}\n")  # fmt: skip


@pytest.mark.parametrize("pattern", ['"tf:module.db.*"', f'"{DB}"'])
def test_a_catalogue_pattern_over_either_id_claims_the_linked_resource(pattern):
    snap = merge(state(*TF_RESOURCES), account(), catalogue(pattern))
    db = snap.by_id()[DB]
    assert (db.service, db.criticality) == ("payments", "high")
    assert Edge("service:payments", DB) in set(snap.edges)


def test_claims_on_both_ids_combine_like_the_views():
    snap = merge(
        state(*TF_RESOURCES),
        account(),
        catalogue('{id: "tf:module.db.*", backup: verified, restore_minutes: 45}',
                  f'{{id: "{DB}", backup: none, restore_minutes: 120}}'),
    )  # fmt: skip
    db = snap.by_id()[DB]
    assert (db.backup, db.restore_minutes) == ("none", 120)


def test_a_claim_on_one_id_is_the_team_s_word_on_backup():
    snap = merge(state(*TF_RESOURCES), account(), catalogue('{id: "tf:module.db.*", backup: none}'))
    assert snap.by_id()[DB].backup == "none"
