"""`check` with an inventory: what simulating every state change on the hot path costs.

    .venv/bin/python bench/bench_check_inventory.py [--resources 100000] [--runs 200]

Two inventories: the sample environment of examples/environment (52 resources, collected as
`inventory collect` does) and the synthetic estate of bench_blast.py (`--resources`). For each,
in-process `interlock.service.check` of typical commands — reads (which never touch the
inventory) and state changes (which are simulated) — with the snapshot already loaded (as in
the daemon, or after the first state change of a process), against the same check without an
inventory. Times are per call, p50 and p99 over `--runs` calls, in microseconds. Also the
one-off cost of loading each snapshot file (parse + digest check + index).

Prints a Markdown table and writes bench/out/check_inventory.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_blast import estate  # noqa: E402

from interlock.impact.blast import index_of  # noqa: E402
from interlock.impact.loaders import from_catalogue, from_kubernetes, from_tfstate, merge  # noqa: E402
from interlock.impact.model import snapshot_from_json, snapshot_to_json  # noqa: E402
from interlock.service import CheckCall, Settings, check, default_settings  # noqa: E402

ENV = ROOT / "examples" / "environment"
SAMPLE = {
    "read: kubectl get pods": "kubectl --context prod-eu get pods -n payments",
    "read: aws rds describe": "aws rds describe-db-instances --db-instance-identifier payments-prod",
    "delete a deployment": "kubectl --context prod-eu delete deployment checkout-web -n payments",
    "delete a database": "aws rds delete-db-instance --db-instance-identifier ledger-prod",
    "replace by address": "terraform apply -replace=module.ledger_db.aws_db_instance.main",
    "delete the namespace": "kubectl --context prod-eu delete ns payments",
}
ESTATE = {
    "read: kubectl get pods": "kubectl --context prod get pods -n ns0",
    "delete a deployment": "kubectl --context prod delete deployment d3 -n ns0",
    "replace by address": "terraform apply -replace=module.env0.aws_db_instance.db0",
    "delete the namespace": "kubectl --context prod delete ns ns0",
}


def sample_snapshot():
    read = lambda name: (ENV / name).read_text("utf-8")  # noqa: E731
    return merge(
        from_tfstate(read("terraform.tfstate")),
        from_kubernetes(read("kubernetes.json"), "prod-eu"),
        from_catalogue(read("catalogue.yaml")),
    )


def per_call(settings: Settings, command: str, runs: int) -> tuple[float, float]:
    call = CheckCall(command=command)
    check(call, settings)  # warm: parse caches, rule index, snapshot index
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        check(call, settings)
        times.append((time.perf_counter() - t) * 1e6)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def load_ms(snap) -> float:
    text = snapshot_to_json(snap)
    t = time.perf_counter()
    index_of(snapshot_from_json(text))
    return (time.perf_counter() - t) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=200)
    a = ap.parse_args()
    base = default_settings()
    rows, loads = [], {}
    for label, snap, commands in (
        ("sample (52)", sample_snapshot(), SAMPLE),
        (f"estate ({a.resources:,})", estate(a.resources), ESTATE),
    ):
        loads[label] = load_ms(snap)
        with_inv = Settings(rules=base.rules, inventory=lambda s=snap: s)
        for name, command in commands.items():
            plain = per_call(base, command, a.runs)
            inv = per_call(with_inv, command, a.runs)
            verdict = check(CheckCall(command=command), with_inv).verdict.value
            rows.append((label, name, verdict, *plain, *inv))
    print("| inventory | command | verdict | no inventory p50/p99 µs | with inventory p50/p99 µs |")
    print("|---|---|---|---|---|")
    for label, name, verdict, p50, p99, i50, i99 in rows:
        print(f"| {label} | {name} | {verdict} | {p50:.0f} / {p99:.0f} | {i50:.0f} / {i99:.0f} |")
    print()
    for label, ms in loads.items():
        print(f"loading the {label} snapshot (parse + digest check + index): {ms:.0f} ms")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    keys = ["inventory", "command", "verdict", "p50_us", "p99_us", "inv_p50_us", "inv_p99_us"]
    (out / "check_inventory.json").write_text(
        json.dumps(
            {"rows": [dict(zip(keys, r, strict=True)) for r in rows], "load_ms": loads}, indent=1
        )
    )


if __name__ == "__main__":
    main()
