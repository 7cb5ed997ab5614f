"""Issue 4's acceptance scenarios, on the sample environment in examples/environment/.

The environment is real input, as the tools write it: a Terraform state (VPC, subnets, security
groups, ALB, ECS, two RDS instances — `payments-prod` with automated backups, `ledger-prod`
without — an S3 bucket and a CloudFormation stack), `kubectl get … -A -o json` of the
`payments` namespace in context `prod-eu`, the team's catalogue, `terraform show -json` plans,
and an `--aws` collection of the same account (for the execution twin). Everything goes
through `interlock.cli.main.main` as a user would run it, or through the library where the
issue names it (`simulate_aws`).
"""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest

from interlock.cli.main import main
from interlock.impact.blast import blast_radius
from interlock.impact.loaders import from_catalogue, from_kubernetes, merge
from interlock.impact.model import snapshot_from_json, snapshot_to_json
from interlock.impact.twin_aws import simulate_aws

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / "examples" / "environment"
PLANS = ENV / "plans"
REGION = "eu-west-1"
STACK = "payments-events-prod"

PAYMENTS_DB = "tf:module.payments_db.aws_db_instance.main"
LEDGER_DB = "tf:module.ledger_db.aws_db_instance.main"
TASK, ECS = "tf:aws_ecs_task_definition.api", "tf:aws_ecs_service.api"
SERVICES = ("service:checkout", "service:payments")
SPOOL_PV = "k8s:prod-eu::persistentvolume:pvc-9ba31317-4ceb-93b8-7191-95402b95e753"
EXPORTS_PV = "k8s:prod-eu::persistentvolume:pvc-7c2c6eeb-1201-3dae-90ae-b89c989fb440"
NS = "k8s:prod-eu:payments:"
NAMESPACE_OBJECTS = (
    "configmap:kube-root-ca.crt",
    "configmap:payments-worker-config",
    "deployment:checkout-web",
    "deployment:ledger-api",
    "deployment:payments-worker",
    "ingress:storefront",
    "k8s-service:checkout-web",
    "k8s-service:ledger-api",
    "k8s-service:payments-worker-metrics",
    "persistentvolumeclaim:ledger-exports",
    "persistentvolumeclaim:payments-worker-spool",
    "pod:checkout-web-6d5f7c9b8-2xk4p",
    "pod:checkout-web-6d5f7c9b8-9qwzt",
    "pod:ledger-api-7f8b9c6d5-kq2lm",
    "pod:payments-worker-5c4d8f7b6-x7v9n",
    "replicaset:checkout-web-6d5f7c9b8",
    "replicaset:ledger-api-7f8b9c6d5",
    "replicaset:payments-worker-5c4d8f7b6",
    "secret:ledger-db-credentials",
    "secret:payments-db-credentials",
    "secret:storefront-tls",
)
# the events stack drops its archive bucket; the queue and the idempotency table stay
ARCHIVE_DROPPED = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Resources": {
        "EventsQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": STACK}},
        "IdempotencyTable": {
            "Type": "AWS::DynamoDB::Table",
            "Properties": {
                "TableName": "payments-prod-idempotency",
                "KeySchema": [{"AttributeName": "key", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "key", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST",
            },
        },
    },
}


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(""), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The account view: the `--aws` collection merged with the cluster and the catalogue."""
    aws = snapshot_from_json((ENV / "aws-inventory.json").read_text("utf-8"))
    k8s = from_kubernetes((ENV / "kubernetes.json").read_text("utf-8"), "prod-eu")
    merged = merge(aws, k8s, from_catalogue((ENV / "catalogue.yaml").read_text("utf-8")))
    path = tmp_path_factory.mktemp("account") / "account.json"
    path.write_text(snapshot_to_json(merged), "utf-8")
    return path


def simulate(snapshot: Path, *args: str) -> tuple[int, dict]:
    code, out, err = run(["simulate", "--json", "--inventory", str(snapshot), *args])
    assert out, err
    return code, json.loads(out)


def command(snapshot: Path, text: str, *options: str) -> tuple[int, dict]:
    return simulate(snapshot, *options, "--", text)


# ---- the inventory ----------------------------------------------------------------------------


def test_the_environment_collects_into_one_snapshot(snapshot):
    snap = snapshot_from_json(snapshot.read_text("utf-8"))
    ids = {r.id for r in snap.resources}
    assert len(snap.resources) == 52
    assert {PAYMENTS_DB, LEDGER_DB, "tf:aws_cloudformation_stack.events", "tf:aws_lb.api"} <= ids
    assert {"service:checkout", "service:ledger", "service:payments"} <= ids
    db = {r.id: r for r in snap.resources}
    assert (db[PAYMENTS_DB].backup, db[LEDGER_DB].backup) == ("snapshot", "none")
    assert db[LEDGER_DB].restore_minutes == 240 and db[LEDGER_DB].service == "ledger"
    assert db[NS + "persistentvolumeclaim:payments-worker-spool"].backup == "none"
    assert all(r.tier == "prod" for r in snap.resources)


def test_every_input_file_is_what_its_tool_writes():
    state = json.loads((ENV / "terraform.tfstate").read_text("utf-8"))
    assert state["version"] == 4 and state["terraform_version"]
    k8s = json.loads((ENV / "kubernetes.json").read_text("utf-8"))
    assert k8s["kind"] == "List" and all("uid" in i["metadata"] for i in k8s["items"])
    for plan in sorted(PLANS.glob("*.json")):
        doc = json.loads(plan.read_text("utf-8"))
        assert doc["format_version"].startswith("1.") and doc["prior_state"], plan.name
    aws = snapshot_from_json((ENV / "aws-inventory.json").read_text("utf-8"))  # digest checked
    assert aws.source == "aws" and f"aws:cloudformation:stack:{STACK}" in aws.by_id()


# ---- deleting the CloudFormation stack --------------------------------------------------------


def test_deleting_the_stack_impairs_the_api_and_both_services(snapshot):
    code, doc = command(snapshot, f"aws cloudformation delete-stack --stack-name {STACK}")
    impact = doc["impact"]
    assert code == 2 and doc["verdict"] == "deny"
    assert impact["deleted"] == ["tf:aws_cloudformation_stack.events"]
    assert impact["impaired"] == [*SERVICES, ECS, TASK]
    assert impact["services_impaired"] == ["checkout", "payments"]
    assert impact["data_loss"] == [] and impact["env_root_teardown"] is True
    assert impact["restore_minutes"] == 60
    assert {"invariant.no-env-teardown", "aws.cloudformation-delete-stack"} <= set(doc["rules"])
    assert "cloud.delete-env-root-prod" in doc["rules"]


def test_deleting_the_stack_in_the_account_view_loses_its_members_data(account):
    code, doc = command(account, f"aws cloudformation delete-stack --stack-name {STACK}")
    impact = doc["impact"]
    members = [
        f"aws:cloudformation:stack-resource:{STACK}/EventsQueue",
        "aws:dynamodb:table:payments-prod-idempotency",
        "aws:s3:bucket:payments-prod-event-archive",
    ]
    assert impact["deleted"] == sorted([f"aws:cloudformation:stack:{STACK}", *members])
    assert impact["data_loss"] == members  # a queue, a table without PITR, a bucket
    assert impact["services_impaired"] == ["checkout", "payments"]
    assert impact["env_root_teardown"] is True and impact["restore_minutes"] > 0
    assert code == 2 and "invariant.no-unbacked-destroy" in doc["rules"]


def test_the_stack_destroy_plan_takes_its_dependents_with_it(snapshot):
    code, doc = simulate(snapshot, "--tfplan", str(PLANS / "destroy-stack.json"))
    impact = doc["impact"]
    assert doc["counts"]["delete"] == 3 and doc["label"] == "destructive"
    assert impact["deleted"] == ["tf:aws_cloudformation_stack.events", ECS, TASK]
    assert impact["impaired"] == list(SERVICES)
    assert impact["data_loss"] == [] and impact["env_root_teardown"] is True
    assert impact["restore_minutes"] == 60 + 2 + 10  # stack, then the task definition, the service
    # the stack's type is an environment root, and the plan deletes it in production
    assert code == 2 and set(doc["rules"]) == {
        "invariant.no-env-teardown",
        "default.prod-destroy",
        "terraform.plan-delete",
    }
    assert doc["rules"][0] == "invariant.no-env-teardown"
    assert "deletes stack `aws_cloudformation_stack.events` (prod)" in doc["reason"]
    assert "tears down a production environment root" in doc["reason"]


# ---- deleting the namespace -------------------------------------------------------------------


def test_deleting_the_namespace_deletes_everything_in_it_and_its_volumes(snapshot):
    code, doc = command(snapshot, "kubectl --context prod-eu delete ns payments")
    impact = doc["impact"]
    expected = {"k8s:prod-eu::namespace:payments", SPOOL_PV, EXPORTS_PV}
    expected |= {NS + o for o in NAMESPACE_OBJECTS}
    assert set(impact["deleted"]) == expected and len(impact["deleted"]) == 24
    assert not any("kube-system" in i for i in impact["deleted"])
    assert impact["impaired"] == ["service:checkout", "service:ledger", "service:payments"]
    assert impact["services_impaired"] == ["checkout", "ledger", "payments"]
    # the worker's spool has no backup; the ledger's exports are backed up (Velero)
    assert impact["data_loss"] == [SPOOL_PV, NS + "persistentvolumeclaim:payments-worker-spool"]
    assert impact["env_root_teardown"] is True and impact["restore_minutes"] == 70
    assert code == 2 and doc["verdict"] == "deny"
    assert {"invariant.no-env-teardown", "invariant.no-unbacked-destroy"} <= set(doc["rules"])
    assert "kubernetes.delete-namespace-prod" in doc["rules"]


def test_without_the_inventory_the_namespace_deletion_has_no_blast_radius(snapshot):
    _, with_impact = command(snapshot, "kubectl --context prod-eu delete ns payments")
    code, out, _ = run(["simulate", "--json", "--", "kubectl --context prod-eu delete ns payments"])
    without = json.loads(out)
    assert code == 2 and without["impact"] is None
    assert "invariant.no-unbacked-destroy" not in without["rules"]
    assert with_impact["digest"] != without["digest"]


# ---- deleting the database --------------------------------------------------------------------


def test_deleting_the_database_without_a_final_snapshot_loses_it(snapshot):
    text = "aws rds delete-db-instance --db-instance-identifier payments-prod --skip-final-snapshot"
    code, doc = command(snapshot, text)
    impact = doc["impact"]
    assert impact["deleted"] == [PAYMENTS_DB] and impact["data_loss"] == [PAYMENTS_DB]
    assert impact["impaired"] == [*SERVICES, ECS, TASK]
    assert impact["restore_minutes"] == 120 and impact["env_root_teardown"] is True
    assert code == 2 and doc["rules"][:3] == [
        "invariant.no-env-teardown",
        "invariant.no-unbacked-destroy",
        "aws.rds-delete-without-snapshot",
    ]


def test_deleting_the_database_with_a_final_snapshot_loses_no_data(snapshot):
    text = (
        "aws rds delete-db-instance --db-instance-identifier payments-prod "
        "--final-db-snapshot-identifier payments-prod-final"
    )
    code, doc = command(snapshot, text)
    impact = doc["impact"]
    assert impact["deleted"] == [PAYMENTS_DB] and impact["data_loss"] == []
    assert impact["services_impaired"] == ["checkout", "payments"]
    assert impact["restore_minutes"] == 120
    # no data is lost, but the inventory knows the instance is a production root
    assert code == 2 and doc["rules"] == [
        "invariant.no-env-teardown",
        "cloud.delete-database-prod",
        "cloud.delete-database",
    ]
    assert "invariant.no-unbacked-destroy" not in doc["rules"]


# ---- replacing the database -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "replaced", "lost", "services", "minutes"),
    [
        ("replace-payments-db.json", PAYMENTS_DB, [], ["checkout", "payments"], 120),
        ("replace-ledger-db.json", LEDGER_DB, [LEDGER_DB], ["checkout", "ledger", "payments"], 240),
    ],
)
def test_replacing_a_database_by_plan(snapshot, source, replaced, lost, services, minutes):
    code, doc = simulate(snapshot, "--tfplan", str(PLANS / source))
    impact = doc["impact"]
    assert doc["counts"]["replace"] == 1 and doc["replaced_addresses"] == [replaced[3:]]
    assert impact["replaced"] == [replaced] and impact["deleted"] == []
    assert impact["data_loss"] == lost and impact["services_impaired"] == services
    assert impact["restore_minutes"] == minutes and impact["env_root_teardown"] is True
    assert code == 2 and "terraform.replace-stateful-prod" in doc["rules"]
    assert ("invariant.no-unbacked-destroy" in doc["rules"]) is bool(lost)


@pytest.mark.parametrize(
    ("address", "lost"),
    [(PAYMENTS_DB, []), (LEDGER_DB, [LEDGER_DB])],
)
def test_replacing_a_database_by_command(snapshot, address, lost):
    text = f"terraform apply -replace={address[3:]}"
    code, doc = command(snapshot, text, "--env", "prod")
    impact = doc["impact"]
    assert impact["replaced"] == [address] and impact["data_loss"] == lost
    assert impact["restore_minutes"] > 0 and impact["env_root_teardown"] is True
    assert code == 2 and "terraform.replace-stateful-prod" in doc["rules"]
    assert ("invariant.no-unbacked-destroy" in doc["rules"]) is bool(lost)


def test_the_plan_and_the_command_agree_on_the_blast_radius(snapshot):
    _, by_plan = simulate(snapshot, "--tfplan", str(PLANS / "replace-ledger-db.json"))
    _, by_command = command(snapshot, f"terraform apply -replace={LEDGER_DB[3:]}", "--env", "prod")
    assert by_plan["impact"]["digest"] == by_command["impact"]["digest"]


# ---- an aws command no pack knows, caught by the twin -----------------------------------------


def _aws_snapshot():
    return snapshot_from_json((ENV / "aws-inventory.json").read_text("utf-8"))


def test_a_stack_update_that_drops_a_bucket_is_a_deletion_only_the_twin_sees(account):
    argv = ["aws", "cloudformation", "update-stack", "--stack-name", STACK,
            "--template-body", json.dumps(ARCHIVE_DROPPED)]  # fmt: skip
    code, out, _ = run(["check", "--json", "--", *argv])
    checked = json.loads(out)
    assert code == 3 and checked["rules"] == ["default.prod-change"]  # asked, as any prod change
    assert [op["effect"] for op in checked["operations"]] == ["write"]
    assert "invariant.no-unbacked-destroy" not in checked["rules"]

    result = simulate_aws(_aws_snapshot(), argv, REGION)
    assert result.exit_code == 0, result.stderr
    assert result.unseeded == ()
    assert result.ids("delete") == ("aws:s3:bucket:payments-prod-event-archive",)
    assert result.ids("update") == (f"aws:cloudformation:stack:{STACK}",)


def test_the_deletion_the_twin_found_has_a_blast_radius(account):
    argv = ["aws", "cloudformation", "update-stack", "--stack-name", STACK,
            "--template-body", json.dumps(ARCHIVE_DROPPED)]  # fmt: skip
    result = simulate_aws(_aws_snapshot(), argv, REGION)
    report = blast_radius(snapshot_from_json(account.read_text("utf-8")), result.changes)
    assert report.deleted == ("aws:s3:bucket:payments-prod-event-archive",)
    assert report.changed == (f"aws:cloudformation:stack:{STACK}",)
    assert report.data_loss == ("aws:s3:bucket:payments-prod-event-archive",)
    assert report.services_impaired == ("checkout", "payments")
    assert report.restore_minutes > 0


def test_renaming_the_ledger_database_is_a_deletion_only_the_twin_sees():
    text = (
        "aws rds modify-db-instance --db-instance-identifier ledger-prod "
        "--new-db-instance-identifier ledger-old --apply-immediately"
    )
    code, out, _ = run(["check", "--json", "--", text])
    assert code == 3 and [op["effect"] for op in json.loads(out)["operations"]] == ["write"]
    result = simulate_aws(_aws_snapshot(), text, REGION)
    assert result.exit_code == 0, result.stderr
    assert result.ids("delete") == ("aws:rds:db-instance:ledger-prod",)
    assert result.ids("create") == ("aws:rds:db-instance:ledger-old",)


# ---- pictures ---------------------------------------------------------------------------------


def test_the_namespace_deletion_draws_a_picture(snapshot, tmp_path):
    png, svg = tmp_path / "blast.png", tmp_path / "blast.svg"
    code, _, err = run(
        ["simulate", "--inventory", str(snapshot), "--png", str(png), "--svg", str(svg),
         "--", "kubectl --context prod-eu delete ns payments"]
    )  # fmt: skip
    assert code == 2, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "payments-worker-spool" in html.unescape(svg.read_text("utf-8"))


def test_the_readme_shows_the_committed_picture():
    readme = (ENV / "README.md").read_text("utf-8")
    assert "../../docs/img/example-namespace-delete.png" in readme
    picture = ROOT / "docs" / "img" / "example-namespace-delete.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ---- both views of the account, linked --------------------------------------------------------

AWS_PAYMENTS_DB = "aws:rds:db-instance:payments-prod"
AWS_STACK = f"aws:cloudformation:stack:{STACK}"
STACK_MEMBERS = [
    f"aws:cloudformation:stack-resource:{STACK}/EventsQueue",
    "aws:dynamodb:table:payments-prod-idempotency",
    "aws:s3:bucket:payments-prod-event-archive",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Terraform state and the `--aws` collection merged, with the cluster and catalogue."""
    from interlock.impact.loaders import from_tfstate

    merged = merge(
        from_tfstate((ENV / "terraform.tfstate").read_text("utf-8")),
        _aws_snapshot(),
        from_kubernetes((ENV / "kubernetes.json").read_text("utf-8"), "prod-eu"),
        from_catalogue((ENV / "catalogue.yaml").read_text("utf-8")),
    )
    path = tmp_path_factory.mktemp("both") / "both.json"
    path.write_text(snapshot_to_json(merged), "utf-8")
    return path


def test_both_views_hold_each_managed_resource_once(both):
    snap = snapshot_from_json(both.read_text("utf-8"))
    by_id = snap.by_id()
    # 52 (state, cluster, catalogue) + 27 (AWS) - 18 resources both views list
    assert len(snap.resources) == 61
    assert PAYMENTS_DB not in by_id and "tf:aws_cloudformation_stack.events" not in by_id
    db = by_id[AWS_PAYMENTS_DB]
    assert db.attr("address") == PAYMENTS_DB[3:] and db.service == "payments"
    assert (db.backup, db.restore_minutes) == ("snapshot", 120)
    assert by_id[AWS_STACK].attr("address") == "aws_cloudformation_stack.events"
    # what only Terraform lists stays a `tf:` resource
    assert {TASK, "tf:aws_lb_listener.http", "tf:aws_s3_bucket_versioning.receipts"} <= set(by_id)


def test_deleting_the_database_with_both_views_counts_it_once(both):
    text = "aws rds delete-db-instance --db-instance-identifier payments-prod --skip-final-snapshot"
    code, doc = command(both, text)
    impact = doc["impact"]
    assert impact["deleted"] == [AWS_PAYMENTS_DB] and impact["data_loss"] == [AWS_PAYMENTS_DB]
    assert impact["impaired"] == ["aws:ecs:service:payments-prod/payments-api", *SERVICES, TASK]
    assert impact["restore_minutes"] == 120 and code == 2


def test_a_terraform_address_names_the_linked_database(both):
    code, doc = command(both, f"terraform apply -replace={PAYMENTS_DB[3:]}", "--env", "prod")
    assert doc["impact"]["replaced"] == [AWS_PAYMENTS_DB] and doc["impact"]["data_loss"] == []
    assert code == 2 and "terraform.replace-stateful-prod" in doc["rules"]


@pytest.mark.parametrize(
    "how",
    [
        ("--", "terraform destroy -target=aws_cloudformation_stack.events"),
        ("--tfplan", str(PLANS / "destroy-stack.json")),
    ],
)
def test_destroying_the_stack_with_both_views_reports_its_members(both, how):
    code, doc = simulate(both, *how)
    impact = doc["impact"]
    destroyed = [AWS_STACK, "aws:ecs:service:payments-prod/payments-api", TASK]
    assert impact["deleted"] == sorted([*destroyed, *STACK_MEMBERS])
    assert impact["data_loss"] == STACK_MEMBERS  # only the AWS view knows the stack holds them
    assert impact["services_impaired"] == ["checkout", "payments"]
    assert code == 2 and "invariant.no-unbacked-destroy" in doc["rules"]
