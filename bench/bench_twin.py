"""Moto-twin round trip for one command: server start, seed, collect, run, collect, diff.

    .venv/bin/python bench/bench_twin.py [--runs 5]

Seeds the 17-resource production sample of tests/test_twin_aws.py (VPC, subnets, security
group, instance, ALB, target group, ECS cluster and service, IAM role, RDS subnet group and
instance, S3 buckets, DynamoDB table, a CloudFormation stack with a bucket and a queue) and runs
`aws dynamodb delete-table --table-name sessions-prod` through the real AWS CLI v1. The first
run in a process pays moto's one-off backend set-up and is reported apart; then the median of
`--runs` runs, and each phase of the last one. Writes bench/out/twin.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from interlock.impact import twin_aws_seed  # noqa: E402
from interlock.impact.twin_aws import AwsTwin, simulate_aws  # noqa: E402
from interlock.impact.twin_aws_run import aws_args, run_cli  # noqa: E402
from test_twin_aws import REGION, sample_snapshot  # noqa: E402

COMMAND = "aws dynamodb delete-table --table-name sessions-prod"


def phases() -> dict[str, float]:
    """Milliseconds of each step of one round trip."""
    snap, out = sample_snapshot(), {}
    t = time.perf_counter()
    twin = AwsTwin(snap, REGION)
    assert twin._server is not None
    twin.url = twin._server.start()
    out["server start"], t = _lap(t)
    try:
        twin_aws_seed.seed(snap, twin.factory(), twin.home)
        out["seed"], t = _lap(t)
        twin.inventory()
        out["collect (before)"], t = _lap(t)
        run_cli(aws_args(COMMAND), twin.url, REGION)
        out["aws cli run"], t = _lap(t)
        twin.inventory()
        out["collect (after) + diff"], t = _lap(t)
    finally:
        twin.stop()
    out["server stop"], t = _lap(t)
    return out


def _lap(t: float) -> tuple[float, float]:
    now = time.perf_counter()
    return (now - t) * 1e3, now


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    snap = sample_snapshot()
    t = time.perf_counter()
    first = simulate_aws(snap, COMMAND, REGION)
    cold = (time.perf_counter() - t) * 1e3
    assert first.ids("delete") == ("aws:dynamodb:table:sessions-prod",), first
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        simulate_aws(snap, COMMAND, REGION)
        times.append((time.perf_counter() - t) * 1e3)
    result = {
        "command": COMMAND,
        "resources": len(snap.resources),
        "first_ms": round(cold),
        "median_ms": round(statistics.median(times)),
        "min_ms": round(min(times)),
        "max_ms": round(max(times)),
        "runs": runs,
        "phases_ms": {k: round(v) for k, v in phases().items()},
        "loadavg": os.getloadavg()[0],
    }
    (ROOT / "bench" / "out").mkdir(exist_ok=True)
    (ROOT / "bench" / "out" / "twin.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
