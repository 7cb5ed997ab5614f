"""The inventory in the check path: `check --inventory`, `$INTERLOCK_INVENTORY` for hooks and
batches, the tiers the inventory knows, and the invariants the simulation feeds.

The environment is examples/environment (everything `prod`), collected as a user would; a small
hand-made snapshot adds a `dev` and a `staging` neighbour to show tiers are raised, never
lowered.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from interlock.cli.main import main
from interlock.impact.model import Edge, Resource, build_snapshot, snapshot_to_json
from interlock.impact.simulate import simulate
from interlock.model import Effect, Mode, Operation, Target, Tier
from interlock.policy.invariants import invariant_findings
from interlock.policy.policyset import EMPTY_POLICY
from interlock.service import CheckCall, check, default_settings, operations, simulated

ROOT = Path(__file__).resolve().parent.parent
ENV = ROOT / "examples" / "environment"
LEDGER = "module.ledger_db.aws_db_instance.main"


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every tier: `tf:aws_db_instance.alpha` (dev, no backup), `tf:aws_db_instance.beta`
    (staging, snapshot), `tf:aws_s3_bucket.logs` (unknown tier, no backup), and a prod VPC
    the dev database sits in. The addresses name no tier, so only the inventory knows."""
    res = [
        Resource("tf:aws_db_instance.alpha", "db-instance", "orders-dev", "dev", stateful=True,
                 backup="none", env_root=True, restore_minutes=90),
        Resource("tf:aws_db_instance.beta", "db-instance", "orders-stage", "staging",
                 stateful=True, backup="snapshot", env_root=True, restore_minutes=90),
        Resource("tf:aws_s3_bucket.logs", "s3-bucket", "logs", stateful=True, backup="none"),
        Resource("tf:aws_vpc.main", "vpc", "main", "prod", env_root=True, restore_minutes=30),
    ]  # fmt: skip
    edges = [Edge("tf:aws_db_instance.alpha", "tf:aws_vpc.main")]
    path = tmp_path_factory.mktemp("mixed") / "mixed.json"
    path.write_text(snapshot_to_json(build_snapshot(res, edges, "tfstate")), "utf-8")
    return path


def check_json(*args: str, inventory: Path | None = None) -> tuple[int, dict]:
    argv = ["check", "--json"]
    if inventory is not None:
        argv += ["--inventory", str(inventory)]
    code, out, err = run([*argv, *args])
    assert out, err
    return code, json.loads(out)


# ---- check --inventory ------------------------------------------------------------------------


def test_an_address_only_replace_is_denied_when_the_inventory_says_prod(snapshot):
    text = f"terraform apply -replace={LEDGER}"
    code, doc = check_json("--", text)
    assert code == 3 and not any(r.startswith("invariant.") for r in doc["rules"])
    code, doc = check_json("--", text, inventory=snapshot)
    assert code == 2 and doc["rules"][:2] == [
        "invariant.no-env-teardown",
        "invariant.no-unbacked-destroy",
    ]
    assert "db-instance `ledger-prod` (prod)" in doc["reason"]
    assert "with no backup" in doc["reason"]
    # the operation carries the tier the inventory knows
    assert {t["tier"] for op in doc["operations"] for t in op["targets"]} == {"prod"}


def test_the_simulation_is_bound_into_the_decision_digest(snapshot):
    text = "kubectl --context prod-eu delete deployment checkout-web -n payments"
    _, plain = check_json("--", text)
    _, simulated_doc = check_json("--", text, inventory=snapshot)
    assert plain["digest"] != simulated_doc["digest"]
    assert simulated_doc["impact"]["simulated"] is True
    assert simulated_doc["impact"]["digest"].startswith("imp1:sha256:")
    assert simulated_doc["impact"]["services_impaired"] == 1
    assert "impact" not in plain


def test_reads_never_load_the_inventory(snapshot, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1, "digest": "inv1:sha256:00"}', "utf-8")
    code, doc = check_json("--", "kubectl --context prod-eu get pods -n payments", inventory=broken)
    assert code == 0 and doc["verdict"] == "allow"
    # a state change does, and a broken snapshot fails closed with its error named
    code, doc = check_json("--", "kubectl --context dev delete pod x", inventory=broken)
    assert code == 3 and doc["verdict"] == "ask"
    assert doc["errors"] == ["input.inventory"]


def test_a_missing_inventory_is_a_usage_error_that_denies(tmp_path):
    code, _, err = run(["check", "--inventory", str(tmp_path / "nope.json"), "--", "ls"])
    assert code == 1 and "does not exist" in err and "deny" in err.lower()


def test_a_tampered_inventory_is_refused(snapshot, tmp_path):
    doc = json.loads(snapshot.read_text("utf-8"))
    for r in doc["resources"]:
        if r["id"] == f"tf:{LEDGER}":
            r["backup"] = "verified"  # hide the data loss
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(doc), "utf-8")
    code, out = check_json("--", f"terraform apply -replace={LEDGER}", inventory=bad)
    assert code == 3 and out["errors"] == ["input.inventory"] and out["verdict"] != "allow"


# ---- hooks and batches read $INTERLOCK_INVENTORY ---------------------------------------------


def test_a_hook_simulates_on_the_configured_inventory(snapshot, monkeypatch, tmp_path):
    monkeypatch.setenv("INTERLOCK_INVENTORY", str(snapshot))
    monkeypatch.setenv("INTERLOCK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTERLOCK_DAEMON", "0")
    payload = {
        "session_id": "s",
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": f"terraform apply -replace={LEDGER}"},
    }
    _, out, _ = run(["hook", "claude-code"], json.dumps(payload))
    answer = json.loads(out)["hookSpecificOutput"]
    assert answer["permissionDecision"] == "deny"
    assert "ledger-prod" in answer["permissionDecisionReason"]


def test_a_batch_simulates_every_line(snapshot, monkeypatch):
    monkeypatch.setenv("INTERLOCK_INVENTORY", str(snapshot))
    lines = [
        {"id": "r", "command": f"terraform apply -replace={LEDGER}"},
        {"id": "ok", "command": "terraform plan"},
    ]
    _, out, err = run(["check", "--batch", "-"], "\n".join(json.dumps(x) for x in lines))
    got = {d["id"]: d for d in map(json.loads, out.splitlines())}
    assert got["r"]["verdict"] == "deny" and "invariant.no-env-teardown" in got["r"]["rules"]
    assert got["ok"]["verdict"] == "allow", err


# ---- tiers: raised, never lowered ------------------------------------------------------------


def _settings(path: Path):
    from interlock.cli.common import inventory_loader

    return default_settings().__class__(
        rules=default_settings().rules, inventory=inventory_loader(str(path))
    )


def test_an_inventory_never_lowers_a_tier_the_command_gives(mixed):
    settings = _settings(mixed)
    call = CheckCall(command="terraform apply -replace=aws_db_instance.alpha", env=Tier.PROD)
    from interlock.resolve import resolve

    ops = resolve(operations(call, settings), settings.envmap, call.env)
    raised, call2 = simulated(ops, call, settings)
    assert {t.tier for op in raised for t in op.targets} == {Tier.PROD}
    # the dev database's loss is not production data: no unbacked-destroy from the simulation
    impact = call2.impact
    assert impact is not None and [a.tier for a in impact.lost] == ["dev"]
    decision = check(call, settings)
    assert "invariant.no-unbacked-destroy" not in decision.rules


def test_staging_in_the_inventory_raises_an_unknown_tier(mixed):
    settings = _settings(mixed)
    decision = check(CheckCall(command="terraform apply -replace=aws_db_instance.beta"), settings)
    assert {t.tier for op in decision.operations for t in op.targets} == {Tier.STAGING}
    assert not any(r.startswith("invariant.") for r in decision.rules)


def test_dev_in_the_inventory_keeps_an_unknown_tier(mixed):
    settings = _settings(mixed)
    decision = check(CheckCall(command="terraform apply -replace=aws_db_instance.alpha"), settings)
    assert {t.tier for op in decision.operations for t in op.targets} == {Tier.UNKNOWN}
    assert "invariant.no-unbacked-destroy" not in decision.rules
    assert "invariant.no-env-teardown" not in decision.rules


def test_unknown_tier_data_lost_by_a_production_destroy_is_denied(mixed):
    settings = _settings(mixed)
    call = CheckCall(command="terraform destroy -target=aws_s3_bucket.logs", env=Tier.PROD)
    decision = check(call, settings)
    assert "invariant.no-unbacked-destroy" in decision.rules
    assert "s3-bucket `logs` (unknown)" in decision.reason


def test_a_write_whose_simulation_loses_production_data_is_denied():
    """What the AWS twin finds (a stack update that drops a bucket) reaches the invariants
    through Impact even though every analyzer calls the command a write."""
    from interlock.model import Affected, Impact, Request

    op = Operation(
        family="cloud",
        action="update-stack",
        effect=Effect.WRITE,
        program="aws",
        targets=(Target.make("stack", "events"),),
    )
    impact = Impact(
        deleted=1,
        data_without_backup=1,
        simulated=True,
        tiers=frozenset({"prod"}),
        lost=(Affected("s3-bucket", "events-archive", "prod"),),
    )
    request = Request(now=__import__("datetime").datetime(2026, 1, 1), impact=impact)
    found = invariant_findings([op], request, EMPTY_POLICY, Mode.GATEWAY)
    assert [f.rule for f in found] == ["invariant.no-unbacked-destroy"]
    assert "s3-bucket `events-archive` (prod)" in found[0].reason
    # without the simulation the same write is no invariant's business
    assert invariant_findings([op], Request(now=request.now), EMPTY_POLICY, Mode.GATEWAY) == []


def test_simulate_names_production_first_and_bounds_the_lists(mixed):
    from interlock.impact.model import snapshot_from_json

    snap = snapshot_from_json(mixed.read_text("utf-8"))
    settings = _settings(mixed)
    ops = operations(CheckCall(command="terraform destroy"), settings)
    sim = simulate(ops, snap)
    assert [a.tier for a in sim.impact.roots] == ["prod", "staging", "dev"]
    assert sim.impact.tiers == frozenset({"prod", "staging", "dev", "unknown"})
    assert sim.impact.env_root_teardown and sim.impact.digest == sim.report.digest


def test_explain_shows_what_the_simulation_found(snapshot):
    code, out, _ = run(
        ["explain", "--inventory", str(snapshot), "--", f"terraform apply -replace={LEDGER}"]
    )
    assert code == 2
    assert "simulated on the inventory: deletes or replaces 1" in out
    assert "data lost: db-instance `ledger-prod` (prod)" in out
    assert "environment root: db-instance `ledger-prod` (prod)" in out
    code, out, _ = run(["explain", "--", f"terraform apply -replace={LEDGER}"])
    assert "simulated on the inventory" not in out


# ---- "no simulation, no approval" ------------------------------------------------------------

NO_SIMULATION_NO_APPROVAL = """\
version: 1
rules:
  - id: org.no-simulation-no-approval
    effect: deny
    match: {tier: [prod], effect: [write, destroy, unknown]}
    when: '!impact.simulated'
    reason: "no simulation, no approval: {summary}; check it with the inventory"
  - id: org.two-when-prod-is-hit
    effect: ask
    approvals: 2
    match: {effect: [write, destroy]}
    when: '"prod" in impact.tiers'
    reason: "the blast radius reaches production: {summary}"
"""


def test_no_simulation_no_approval(snapshot, tmp_path):
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "policy.yaml").write_text(NO_SIMULATION_NO_APPROVAL, "utf-8")
    text = "kubectl --context prod-eu rollout restart deployment checkout-web -n payments"
    code, doc = check_json("--policy", str(policy), "--", text)
    assert code == 2 and doc["rules"][0] == "org.no-simulation-no-approval"
    assert "no simulation, no approval" in doc["reason"]
    code, doc = check_json("--policy", str(policy), "--", text, inventory=snapshot)
    assert code == 3 and "org.no-simulation-no-approval" not in doc["rules"]
    assert "org.two-when-prod-is-hit" in doc["rules"] and doc["approvals"] == 2
    assert doc["impact"]["tiers"] == ["prod"]
