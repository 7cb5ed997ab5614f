"""`interlock inventory collect` and `interlock simulate --inventory`, through `main(argv)`."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from interlock.cli import inventory
from interlock.cli.main import main
from interlock.impact.model import snapshot_from_json

FIX = Path(__file__).resolve().parent / "fixtures" / "inventory"
NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
SOURCES = [
    "--tfstate", str(FIX / "prod.tfstate"),
    "--kubernetes", str(FIX / "shop.k8s.json"), "--context", "prod-eu",
    "--catalogue", str(FIX / "catalogue.yaml"),
]  # fmt: skip


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def collect(tmp_path: Path) -> Path:
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "snapshot.json"
    argv = ["collect", *SOURCES, "-o", str(path)]
    assert inventory.main(argv, io.StringIO(), out, err, now=lambda: NOW) == 0, err.getvalue()
    return path


def test_collect_writes_one_merged_snapshot_with_its_digest(tmp_path):
    path = collect(tmp_path)
    doc = json.loads(path.read_text("utf-8"))
    assert set(doc) == {"version", "source", "fetched_at", "digest", "resources", "edges"}
    assert (doc["version"], doc["source"], doc["fetched_at"]) == (
        1,
        "merged",
        "2024-05-01T12:00:00+00:00",
    )
    snap = snapshot_from_json(path.read_text("utf-8"))
    assert snap.digest == doc["digest"] and len(snap.resources) == 32


def test_collecting_twice_gives_the_same_digest(tmp_path):
    one = json.loads(collect(tmp_path).read_text("utf-8"))["digest"]
    code, out, _ = run(["inventory", "collect", *SOURCES])
    assert code == 0 and json.loads(out)["digest"] == one


def test_collect_reads_stdin_and_plans():
    text = (FIX / "shop.k8s.json").read_text("utf-8")
    code, out, err = run(
        [
            "inventory",
            "collect",
            "--kubernetes",
            "-",
            "--tfplan",
            str(FIX / "replace-db.tfplan.json"),
        ],
        text,
    )
    assert code == 0 and "resources" in err
    assert any(r["id"].startswith("k8s::shop:") for r in json.loads(out)["resources"])


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["inventory", "collect"], "input.inventory"),
        (["inventory", "collect", "--tfstate", "/nonexistent.tfstate"], "input.unreadable"),
        (["inventory", "collect", "--tfstate", str(FIX / "catalogue.yaml")], "input.inventory"),
        (["inventory", "collect", "--kubernetes", str(FIX / "prod.tfstate")], "input.inventory"),
        (["inventory"], "usage"),
        (["inventory", "collect", "--bogus"], "usage"),
    ],
)
def test_bad_collections_fail_with_a_code(argv, code):
    rc, out, err = run(argv)
    assert rc == 1 and out == "" and f"deny  {code}:" in err


def test_simulate_a_command_with_an_inventory_shows_the_blast_radius(tmp_path):
    snap = collect(tmp_path)
    rc, out, _ = run(
        [
            "simulate",
            "--inventory",
            str(snap),
            "--",
            "kubectl",
            "delete",
            "namespace",
            "shop",
            "--context",
            "prod-eu",
        ]
    )
    assert rc == 2
    assert "services impaired: checkout" in out and "tears down an environment root" in out
    assert "data without backup: 2" in out and "impact digest: imp1:sha256:" in out


def test_simulate_json_binds_the_impact_into_the_decision_digest(tmp_path):
    snap = collect(tmp_path)
    cmd = ["--", "aws rds delete-db-instance --db-instance-identifier prod-main"]
    rc, out, _ = run(["simulate", "--json", "--inventory", str(snap), *cmd])
    with_impact = json.loads(out)
    rc2, out2, _ = run(["simulate", "--json", *cmd])
    assert rc in (2, 3) and rc2 in (2, 3)
    without = json.loads(out2)
    assert with_impact["impact"]["deleted"] == ["tf:module.db.aws_db_instance.main"]
    assert with_impact["impact"]["services_impaired"] == ["checkout", "orders-db"]
    assert with_impact["impact"]["inventory"]["digest"] == json.loads(snap.read_text())["digest"]
    assert without["impact"] is None and without["operations"][0]["action"] == "delete-db-instance"
    assert with_impact["digest"] != without["digest"]


def test_simulate_a_plan_with_an_inventory(tmp_path):
    snap = collect(tmp_path)
    plan = str(FIX / "replace-db.tfplan.json")
    rc, out, _ = run(["simulate", "--json", "--inventory", str(snap), "--tfplan", plan])
    doc = json.loads(out)
    assert doc["counts"]["replace"] == 1
    assert doc["impact"]["replaced"] == ["tf:module.db.aws_db_instance.main"]
    assert doc["impact"]["changed"] == ["tf:aws_ecs_service.api"]
    assert doc["impact"]["created"] == ["tf:aws_s3_bucket.logs"]
    rc, text, _ = run(["simulate", "--inventory", str(snap), "--tfplan", plan])
    assert rc == 2 and text.index("impact (inventory") < text.index("verdict: ")


def test_simulate_refuses_a_tampered_inventory(tmp_path):
    snap = collect(tmp_path)
    doc = json.loads(snap.read_text("utf-8"))
    doc["resources"][0]["backup"] = "verified"
    snap.write_text(json.dumps(doc), "utf-8")
    rc, out, err = run(["simulate", "--inventory", str(snap), "--", "kubectl delete ns shop"])
    assert rc == 1 and out == "" and "deny  input.inventory:" in err


@pytest.mark.parametrize("argv", [["simulate"], ["simulate", "--tfplan", "x.json", "--", "ls"]])
def test_simulate_needs_exactly_one_of_a_plan_or_a_command(argv):
    rc, _, err = run(argv)
    assert rc == 1 and "deny  usage:" in err


def test_simulate_a_command_without_an_inventory_still_decides():
    rc, out, _ = run(["simulate", "--", "ls", "-la"])
    assert rc == 0 and "command: ls -la" in out and "impact" not in out
