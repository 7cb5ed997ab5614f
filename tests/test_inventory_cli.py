"""`interlock inventory collect` and `interlock simulate --inventory`, through `main(argv)`."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
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


# ---- saved snapshots as a source --------------------------------------------------------------

ENV = Path(__file__).resolve().parent.parent / "examples" / "environment"
LATER = datetime(2024, 6, 1, 8, 0, 0, tzinfo=UTC)


def collect_with(argv, now=NOW, wait=None):
    out, err = io.StringIO(), io.StringIO()
    code = inventory.main(argv, io.StringIO(), out, err, now=lambda: now, wait=wait)
    return code, out.getvalue(), err.getvalue()


def test_a_saved_snapshot_merges_with_the_other_sources_like_the_library_does(tmp_path):
    from interlock.impact.loaders import from_catalogue, from_kubernetes, merge

    path = tmp_path / "account.json"
    argv = [
        "collect", "--snapshot", str(ENV / "aws-inventory.json"),
        "--kubernetes", str(ENV / "kubernetes.json"), "--context", "prod-eu",
        "--catalogue", str(ENV / "catalogue.yaml"), "-o", str(path),
    ]  # fmt: skip
    code, _, err = collect_with(argv, now=LATER)
    assert code == 0, err
    aws = snapshot_from_json((ENV / "aws-inventory.json").read_text("utf-8"))
    k8s = from_kubernetes((ENV / "kubernetes.json").read_text("utf-8"), "prod-eu")
    library = merge(aws, k8s, from_catalogue((ENV / "catalogue.yaml").read_text("utf-8")))
    written = snapshot_from_json(path.read_text("utf-8"))
    assert written.digest == library.digest
    # only as fresh as its oldest part: the saved AWS view, not the time of this collection
    assert written.fetched_at == aws.fetched_at == "2024-05-02T09:30:00+00:00"


def test_a_fresh_source_wins_over_a_saved_snapshot_with_the_same_resource(tmp_path):
    saved = collect(tmp_path)
    doc = json.loads(saved.read_text("utf-8"))
    code, out, _ = run(["inventory", "collect", "--snapshot", str(saved), *SOURCES])
    assert code == 0 and json.loads(out)["digest"] == doc["digest"]


@pytest.mark.parametrize("existing", [None, "the previous snapshot\n"])
def test_a_tampered_saved_snapshot_is_refused_and_the_output_is_left_alone(tmp_path, existing):
    saved = collect(tmp_path)
    doc = json.loads(saved.read_text("utf-8"))
    doc["resources"][0]["backup"] = "verified"  # makes a database look safe to delete
    saved.write_text(json.dumps(doc), "utf-8")
    out = tmp_path / "merged.json"
    if existing is not None:
        out.write_text(existing, "utf-8")
    code, stdout, err = run(["inventory", "collect", "--snapshot", str(saved), "-o", str(out)])
    assert code == 1 and stdout == "" and "deny  input.inventory: snapshot `" in err
    assert "does not match its content" in err
    assert (out.read_text("utf-8") if out.exists() else None) == existing


def test_a_saved_snapshot_that_does_not_say_when_it_was_fetched_is_refused(tmp_path):
    doc = json.loads(collect(tmp_path).read_text("utf-8"))
    doc["fetched_at"] = ""  # not part of the digest, so the file still verifies
    saved = tmp_path / "undated.json"
    saved.write_text(json.dumps(doc), "utf-8")
    code, out, err = run(["inventory", "collect", "--snapshot", str(saved)])
    assert code == 1 and out == "" and "deny  input.inventory:" in err and "fetched_at" in err


# ---- --every: a schedule, tested without sleeping ----------------------------------------------


class FakeClock:
    def __init__(self, at):
        self.at, self.waits = at, []

    def now(self):
        return self.at

    def wait(self, seconds):
        self.waits.append(seconds)
        self.at += timedelta(seconds=seconds)
        return True


def run_schedule(argv, clock, wait=None):
    out, err = io.StringIO(), io.StringIO()
    code = inventory.main(argv, io.StringIO(), out, err, now=clock.now, wait=wait or clock.wait)
    return code, out.getvalue(), err.getvalue()


def test_every_with_max_runs_collects_twice_and_waits_the_interval_between(tmp_path):
    path, clock = tmp_path / "snapshot.json", FakeClock(NOW)
    argv = ["collect", *SOURCES, "-o", str(path), "--every", "15m", "--max-runs", "2"]
    code, out, err = run_schedule(argv, clock)
    assert code == 0 and out == "", err
    lines = err.splitlines()
    assert len(lines) == 2 and " new: 32 resources" in lines[0] and " unchanged: " in lines[1]
    assert sum(clock.waits) == 15 * 60
    assert snapshot_from_json(path.read_text("utf-8")).fetched_at == "2024-05-01T12:15:00+00:00"
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]  # no temporary file left


def test_every_keeps_the_last_good_snapshot_when_a_source_turns_bad(tmp_path):
    state, path, clock = tmp_path / "prod.tfstate", tmp_path / "snapshot.json", FakeClock(NOW)
    state.write_text((FIX / "prod.tfstate").read_text("utf-8"), "utf-8")
    before = {}

    def wait(seconds):
        if seconds:  # between the runs the state file is truncated by a careless writer
            before["bytes"] = path.read_bytes()
            state.write_text('{"version": 4, "resources": [', "utf-8")
        return clock.wait(seconds)

    argv = ["collect", "--tfstate", str(state), "-o", str(path), "--every", "1h", "--max-runs", "2"]
    code, _, err = run_schedule(argv, clock, wait)
    assert code == 1  # the last collection failed: the file is as old as the first one
    assert "deny  input.inventory:" in err and f"`{path}` left as it was" in err
    assert path.read_bytes() == before["bytes"]


def test_every_through_the_console_entry_point_restores_the_signal_handlers(tmp_path):
    import signal

    handlers = (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM))
    path = tmp_path / "snapshot.json"
    code, _, err = run(
        ["inventory", "collect", *SOURCES, "-o", str(path), "--every", "1h", "--max-runs", "1"]
    )
    assert code == 0 and " new: " in err and snapshot_from_json(path.read_text("utf-8"))
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == handlers


@pytest.mark.parametrize(
    "options",
    [
        ["--every", "15"],
        ["--every", "0s"],
        ["--every", "1w"],
        ["--every", "1.5h"],
        ["--every=-5m"],
        ["--every", "15m", "--max-runs", "0"],
        ["--every", "15m", "--max-runs", "two"],
        ["--max-runs", "2"],
    ],
)
def test_bad_schedules_are_usage_errors_and_write_nothing(tmp_path, options):
    path = tmp_path / "snapshot.json"
    code, out, err = run(["inventory", "collect", *SOURCES, "-o", str(path), *options])
    assert code == 1 and out == "" and "deny  usage:" in err and not path.exists()


def test_every_needs_an_output_file_it_can_keep_fresh(tmp_path):
    tfstate = ["--tfstate", str(FIX / "prod.tfstate")]
    for argv in (
        [*tfstate, "--every", "15m"],
        [*tfstate, "--every", "15m", "-o", "-"],
        ["--tfstate", "-", "--every", "15m", "-o", str(tmp_path / "s.json")],
    ):
        code, out, err = run(["inventory", "collect", *argv])
        assert code == 1 and out == "" and "deny  usage:" in err, argv
    saved = collect(tmp_path)
    code, _, err = run(["inventory", "collect", "--snapshot", str(saved), "-o", str(saved),
                        "--every", "1h"])  # fmt: skip
    assert code == 1 and "deny  usage:" in err and "into itself" in err


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_a_signal_stops_the_schedule_cleanly(tmp_path, signame):
    import selectors
    import signal
    import subprocess
    import sys

    path = tmp_path / "snapshot.json"
    argv = ["inventory", "collect", *SOURCES, "-o", str(path), "--every", "1h"]
    entry = "from interlock.cli.main import run; run()"
    proc = subprocess.Popen([sys.executable, "-c", entry, *argv], stderr=subprocess.PIPE, text=True)
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stderr, selectors.EVENT_READ)
            assert sel.select(timeout=60), "no collection reported"
        first = proc.stderr.readline()
        assert " new: 32 resources" in first
        proc.send_signal(getattr(signal, signame))
        rest = proc.communicate(timeout=60)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0 and "inventory: stopped" in rest
    assert snapshot_from_json(path.read_text("utf-8")).digest
    assert [p.name for p in tmp_path.iterdir()] == ["snapshot.json"]


# ---- inventory show: what a reader checks -------------------------------------------------------


def test_show_prints_the_digest_age_and_counts(tmp_path):
    path = collect(tmp_path)
    digest = json.loads(path.read_text("utf-8"))["digest"]
    later = NOW + timedelta(hours=2, minutes=5)
    code, out, err = collect_with(["show", str(path), "--max-age", "3h"], now=later)
    assert code == 0 and err == ""
    assert f"digest: {digest}" in out and "source: merged" in out
    assert "fetched at: 2024-05-01T12:00:00+00:00 (2h 5m ago)" in out
    assert "resources: 32, edges: " in out and "db-instance 1" in out and "tiers: " in out


def test_show_json_counts_resources_by_kind_and_tier(tmp_path):
    path = collect(tmp_path)
    code, out, _ = collect_with(["show", "--json", str(path)], now=NOW + timedelta(minutes=1))
    doc = json.loads(out)
    assert code == 0 and doc["age_seconds"] == 60 and doc["resources"] == 32
    assert sum(doc["kinds"].values()) == sum(doc["tiers"].values()) == 32


def test_show_with_max_age_fails_on_a_stale_snapshot(tmp_path):
    path = collect(tmp_path)
    code, out, err = collect_with(
        ["show", str(path), "--max-age", "1h"], now=NOW + timedelta(hours=2)
    )
    assert code == 2 and "digest: inv1:" in out
    assert "deny  impact.inventory_stale:" in err and "2h ago, beyond --max-age 1h" in err


def test_show_refuses_a_tampered_snapshot(tmp_path):
    path = collect(tmp_path)
    path.write_text(path.read_text("utf-8").replace('"prod"', '"dev"'), "utf-8")
    code, out, err = run(["inventory", "show", str(path)])
    assert code == 1 and out == "" and "deny  input.inventory:" in err


def test_show_of_a_missing_file_is_an_input_error(tmp_path):
    code, _, err = run(["inventory", "show", str(tmp_path / "none.json"), "--max-age", "1h"])
    assert code == 1 and "deny  input.unreadable:" in err


def test_a_name_that_is_not_unicode_is_refused_not_a_crash(tmp_path):
    """`kubectl get -o json` can hold `\\ud800` escapes: a clear input error, nothing written."""
    pod = {"kind": "Pod", "apiVersion": "v1",
           "metadata": {"name": "x\\ud800", "namespace": "shop", "uid": "u1"}}  # fmt: skip
    source = tmp_path / "k8s.json"
    source.write_text('{"kind": "List", "items": [' + json.dumps(pod).replace("\\\\", "\\") + "]}")
    out = tmp_path / "snap.json"
    code, _, err = run(["inventory", "collect", "--kubernetes", str(source), "-o", str(out)])
    assert code == 1 and "input.inventory" in err and "not valid Unicode" in err
    assert not out.exists()
