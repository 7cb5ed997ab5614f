"""`interlock simulate --aws-twin`, end to end through `main`: a command's `aws` writes run on a
moto twin seeded from the snapshot, and what the twin saw joins the blast radius."""

from __future__ import annotations

import io
import json

import pytest

from interlock.cli.main import main
from interlock.cli.simulate_twin import merge_changes
from interlock.impact.blast import Change
from interlock.impact.model import Edge, Resource, attrs_of, build_snapshot, snapshot_to_json

REGION = "eu-west-1"
ACCOUNT = "111122223333"
LOGS = "aws:s3:bucket:app-logs-prod"
STACK = "aws:cloudformation:stack:app-prod"
QUEUE_ONLY = {
    "Resources": {"Orders": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"}}}
}
UPDATE_STACK = (
    f"aws --region {REGION} cloudformation update-stack --stack-name app-prod "
    f"--template-body '{json.dumps(QUEUE_ONLY)}'"
)
DENY_DELETES = """\
version: 1
org: test
rules:
  - id: test.simulated-deletes
    effect: deny
    match: {family: [aws]}
    when: 'impact.simulated && impact.deleted > 0'
    reason: "the simulation deletes resources"
"""


ALLOW_ALL = """\
version: 1
org: test
rules:
  - id: test.allow-aws
    effect: allow
    match: {family: [aws], action: [s3-rb]}
    reason: "removing a bucket is fine here"
"""


def _aws(rid: str, kind: str, name: str, stateful: bool = False, **attrs: str) -> Resource:
    values = {"region": REGION, **attrs}
    return Resource(rid, kind, name, "prod", "reports", stateful, attrs=attrs_of(values))


def _snapshot_file(tmp_path):
    """A stack that made a bucket and a queue, a bucket of its own, and a service that reads
    the stack's bucket."""
    resources = [
        _aws(STACK, "stack", "app-prod", arn=f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/app-prod/1"),
        _aws(LOGS, "s3-bucket", "app-logs-prod", True, stack="app-prod", logical_id="Logs"),
        _aws("aws:cloudformation:stack-resource:app-prod/Orders", "sqs-queue", "orders",
             stack="app-prod", logical_id="Orders", type="AWS::SQS::Queue"),
        _aws("aws:s3:bucket:assets-prod", "s3-bucket", "assets-prod", True),
        Resource("service:reports", "service", "reports", "prod", "reports"),
    ]  # fmt: skip
    edges = [
        Edge(LOGS, STACK, "contains"),
        Edge("aws:cloudformation:stack-resource:app-prod/Orders", STACK, "contains"),
        Edge("service:reports", LOGS),
    ]
    path = tmp_path / "snap.json"
    path.write_text(snapshot_to_json(build_snapshot(resources, edges, "aws", "")), "utf-8")
    return str(path)


@pytest.fixture
def snap(tmp_path):
    return _snapshot_file(tmp_path)


@pytest.fixture
def policy(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "policy.yaml").write_text(DENY_DELETES, "utf-8")
    return str(tmp_path / "policy")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["simulate", *argv], io.StringIO(""), out, err)
    return code, out.getvalue(), err.getvalue()


def run_json(*argv: str) -> tuple[int, dict]:
    code, out, err = run("--json", *argv)
    assert out, err
    return code, json.loads(out)


def test_a_stack_update_the_analyzers_call_a_write_is_a_delete_once_the_twin_runs_it(snap, policy):
    code, plain = run_json("--inventory", snap, "--policy", policy, "--", UPDATE_STACK)
    assert plain["operations"][0]["effect"] == "write"
    assert LOGS not in plain["impact"]["deleted"] and "twin" not in plain
    assert code != 2 and "test.simulated-deletes" not in plain["rules"]

    code, twinned = run_json("--inventory", snap, "--policy", policy, "--aws-twin", "--", UPDATE_STACK)  # fmt: skip
    assert twinned["twin"]["exit_code"] == 0, twinned["twin"]["stderr"]
    assert {"resource": LOGS, "effect": "delete"} in twinned["twin"]["changes"]
    assert twinned["twin"]["region"] == REGION and twinned["twin"]["unseeded"] == []
    assert twinned["twin"]["digest"].startswith("awt1:sha256:")
    assert LOGS in twinned["impact"]["deleted"]
    assert twinned["impact"]["services_impaired"] == ["reports"]
    assert LOGS in twinned["impact"]["data_loss"]
    assert code == 2 and "test.simulated-deletes" in twinned["rules"]
    assert twinned["impact"]["digest"].startswith("imt1:sha256:")
    assert twinned["impact"]["digest"] != plain["impact"]["digest"]
    assert twinned["digest"] != plain["digest"]


def test_the_human_summary_has_a_twin_section_before_the_verdict(snap):
    code, out, err = run("--inventory", snap, "--aws-twin", "--", UPDATE_STACK)
    assert code in (2, 3), err
    assert f"twin (aws on moto, region {REGION}, 1 command, exit 0)" in out
    assert f"  deleted: {LOGS}" in out and "twin digest: awt1:sha256:" in out
    assert out.index("impact digest: imt1:") < out.index("twin (") < out.index("verdict: ")


def test_the_region_flag_overrides_the_command_and_a_failing_command_is_a_result(snap):
    code, doc = run_json(
        "--inventory", snap, "--aws-twin", "--region", "us-west-2", "--",
        "aws dynamodb delete-table --table-name sessions-prod",
    )  # fmt: skip
    assert doc["twin"]["region"] == "us-west-2" and doc["twin"]["exit_code"] != 0
    assert doc["twin"]["changes"] == [] and "ResourceNotFound" in doc["twin"]["stderr"]
    assert code in (2, 3)


def test_a_read_command_does_not_run_the_twin(snap):
    code, doc = run_json("--inventory", snap, "--aws-twin", "--", "aws s3 ls s3://assets-prod")
    assert doc["twin"] is None and code == 0
    code, out, _ = run("--inventory", snap, "--aws-twin", "--", "aws s3 ls s3://assets-prod")
    assert "twin: not run" in out


def test_a_command_that_is_not_aws_does_not_run_the_twin(snap):
    _, doc = run_json("--inventory", snap, "--aws-twin", "--", "rm -rf /tmp/scratch")
    assert doc["twin"] is None and doc["impact"]["deleted"] == []


@pytest.mark.parametrize(
    "command",
    [
        "aws s3 cp s3://assets-prod/k /etc/passwd",
        'sudo aws s3 rb "s3://$(cat bucket.txt)"',
        "B=assets-prod; aws s3 rb s3://$B && echo done",
    ],
)
def test_a_command_the_twin_refuses_fails_closed_with_its_code(snap, command):
    code, out, err = run("--inventory", snap, "--aws-twin", "--", command)
    assert code == 1 and err.startswith("deny  impact.twin_command:") and out == ""
    code, doc = run_json("--inventory", snap, "--aws-twin", "--", command)
    assert code == 1 and doc["verdict"] == "deny" and doc["errors"] == ["impact.twin_command"]


@pytest.mark.parametrize(
    "argv",
    [
        ["--aws-twin", "--", "aws s3 rb s3://assets-prod"],
        ["--aws-twin", "--tfplan", "plan.json"],
        ["--region", "eu-west-1", "--", "aws s3 rb s3://assets-prod"],
    ],
)
def test_the_twin_without_an_inventory_and_a_command_is_a_usage_error(argv):
    code, out, err = run(*argv)
    assert code == 1 and err.startswith("deny  usage:") and out == ""


def test_merging_keeps_the_strongest_effect_per_resource_and_a_missing_backup():
    static = [Change("a", "update", "none"), Change("b", "delete"), Change("c", "create")]
    twin = [Change("a", "delete"), Change("b", "update"), Change("c", "update"), Change("d", "x")]
    assert merge_changes(static, twin) == [
        Change("a", "delete", "none"),
        Change("b", "delete"),
        Change("c", "update"),
        Change("d", "x"),
    ]


BARE_RB = "aws s3 rb s3://assets-prod"
ASSETS = "aws:s3:bucket:assets-prod"


@pytest.fixture(scope="module")
def bare_twin(tmp_path_factory):
    snap = _snapshot_file(tmp_path_factory.mktemp("bare"))
    _, doc = run_json("--inventory", snap, "--aws-twin", "--", BARE_RB)
    assert doc["twin"]["exit_code"] == 0, doc["twin"]["stderr"]
    return doc["twin"]


@pytest.mark.parametrize(
    "command",
    [
        f"sudo {BARE_RB}",
        f"timeout 30 {BARE_RB}",
        f"env AWS_PROFILE=prod {BARE_RB}",
        f"AWS_REGION={REGION} {BARE_RB}",
        f"bash -c '{BARE_RB}'",
        f"{BARE_RB} | tee out.txt",
        f"{BARE_RB} && echo done",
    ],
)
def test_a_wrapped_aws_command_gives_the_bare_commands_twin_result(snap, bare_twin, command):
    code, doc = run_json("--inventory", snap, "--aws-twin", "--", command)
    twin = doc["twin"]
    assert twin["changes"] == bare_twin["changes"] == [{"resource": ASSETS, "effect": "delete"}]
    assert twin["digest"] == bare_twin["digest"] and twin["region"] == REGION
    assert ASSETS in doc["impact"]["deleted"] and code != 0
    assert [c["argv"] for c in twin["calls"]] == [c["argv"] for c in bare_twin["calls"]]


def test_two_aws_commands_combine_and_the_others_are_listed_as_not_run(snap):
    command = f"sudo {BARE_RB} && echo done && timeout 30 aws s3 rb s3://app-logs-prod | tee x"
    code, doc = run_json("--inventory", snap, "--aws-twin", "--", command)
    twin = doc["twin"]
    assert twin["exit_code"] == 0, twin["stderr"]
    deleted = [c["resource"] for c in twin["changes"] if c["effect"] == "delete"]
    assert deleted == sorted([ASSETS, LOGS])
    assert len(twin["calls"]) == 2 and twin["ignored"] == ["echo done", "tee x"]
    assert {ASSETS, LOGS} <= set(doc["impact"]["deleted"]) and code != 0
    _, out, _ = run("--inventory", snap, "--aws-twin", "--", command)
    assert f"twin (aws on moto, region {REGION}, 2 commands, exit 0)" in out
    assert "  not run (not an `aws` write): `echo done`, `tee x`" in out


def test_a_region_in_the_commands_environment_beats_the_region_option(snap):
    command = f"AWS_REGION={REGION} aws dynamodb delete-table --table-name sessions-prod"
    _, doc = run_json("--inventory", snap, "--aws-twin", "--region", "us-west-2", "--", command)
    (call,) = doc["twin"]["calls"]
    assert (call["region"], call["from"]) == (REGION, "env") and doc["twin"]["region"] == REGION
    assert call["argv"][-2:] == ["--region", REGION]


def test_an_unresolved_substitution_is_never_allowed_even_by_a_permissive_policy(snap, tmp_path):
    (tmp_path / "allow").mkdir()
    (tmp_path / "allow" / "policy.yaml").write_text(ALLOW_ALL, "utf-8")
    command = "aws s3 rb s3://$(cat bucket.txt) | tee out.txt"
    argv = ["--inventory", snap, "--policy", str(tmp_path / "allow"), "--", command]
    code, plain = run_json(*argv)
    assert code == 0 and plain["verdict"] == "allow" and "twin" not in plain  # the premise
    code, doc = run_json("--aws-twin", *argv)
    assert code == 1 and doc["verdict"] == "deny" and doc["errors"] == ["impact.twin_command"]


def test_a_relative_template_file_is_read_from_where_the_command_runs(snap, tmp_path, monkeypatch):
    """`--template-body file://t.json` names a file beside the user, not in the twin's scratch
    directory; `$INTERLOCK_INVENTORY` stands in for `--inventory`."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "t.json").write_text(json.dumps(QUEUE_ONLY), "utf-8")
    monkeypatch.chdir(work)
    monkeypatch.setenv("INTERLOCK_INVENTORY", snap)
    command = (
        f"aws --region {REGION} cloudformation update-stack --stack-name app-prod "
        "--template-body file://t.json"
    )
    code, doc = run_json("--aws-twin", "--", command)
    assert doc["twin"]["exit_code"] == 0, doc["twin"]["stderr"]
    assert {"resource": LOGS, "effect": "delete"} in doc["twin"]["changes"]
    assert f"file://{work / 't.json'}" in doc["twin"]["calls"][0]["argv"]
    assert code == 2 and LOGS in doc["impact"]["data_loss"]
