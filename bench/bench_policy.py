"""Checks per second with 0, 50 and 500 org policy rules loaded (issue 3 acceptance).

    .venv/bin/python bench/bench_policy.py [--corpus bench/out/corpus.jsonl] [--limit 3000]

Generates policies of N rules: a realistic mix of structural matches over families, actions,
tiers and effects, a third of them with a CEL `when` over the agent and the operation, a few
allow rules; loads each through `load_policy` (override check off: that is a load-time cost,
reported separately), and times `interlock.service.check` over the first `--limit` corpus
commands with an agent identity, after one warm-up pass. Writes bench/out/policy.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
FAMILIES = [
    "kubernetes",
    "filesystem",
    "git",
    "iac",
    "aws",
    "database",
    "host",
    "container",
    "http",
]
ACTIONS = ["delete", "apply", "push", "destroy", "drop", "rm", "install", "create", "update", "run"]
TIERS = ["prod", "staging", "dev", "unknown"]
EFFECTS = ["write", "destroy", "unknown"]


def policy_text(n: int) -> str:
    lines = ["version: 1", "timezone: Europe/Berlin", "rules:"]
    for i in range(n):
        effect = ("ask", "deny", "allow")[i % 3] if i % 10 else "allow"
        fam = FAMILIES[i % len(FAMILIES)]
        act = ACTIONS[(i // 3) % len(ACTIONS)]
        tier = TIERS[(i // 7) % len(TIERS)]
        eff = EFFECTS[i % len(EFFECTS)]
        if effect == "allow":
            tier, eff = "dev", "write"
        lines += [
            f"  - id: bench.rule-{i}",
            f"    effect: {effect}",
            f"    match: {{family: [{fam}], action: [{act}], tier: [{tier}], effect: [{eff}]}}",
        ]
        if i % 3 == 0:
            lines.append("    when: 'agent.id.startsWith(\"agent:\") && size(op.tags) >= 0'")
        if effect == "ask":
            lines.append("    approvals: 2")
    if n == 0:
        lines[-1] = "rules: []"
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(OUT / "corpus.jsonl"))
    ap.add_argument("--limit", type=int, default=3000)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import os

    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="interlock-bench-"))
    from interlock.model import Mode
    from interlock.policy.packs import load_index
    from interlock.policy.policyfile import load_policy
    from interlock.service import CheckCall, Settings, check

    corpus_path = Path(args.corpus)
    if not corpus_path.exists():
        print(f"no corpus at {corpus_path}; run bench/corpus.py first", file=sys.stderr)
        return 1
    commands = [json.loads(x)["command"] for x in corpus_path.read_text().splitlines() if x.strip()]
    commands = commands[: args.limit]
    index = load_index()
    rows = []
    for n in (0, 50, 500):
        text = policy_text(n)
        t0 = time.perf_counter()
        policy = load_policy(text, check_overrides=False)
        load_ms = (time.perf_counter() - t0) * 1000
        settings = Settings(rules=index, policy=policy)
        calls = [CheckCall(command=c, mode=Mode.GATEWAY, agent="agent:bench") for c in commands]
        for call in calls:  # warm-up: analyzers imported, CEL compiled
            check(call, settings)
        samples = []
        start = time.perf_counter()
        for call in calls:
            t = time.perf_counter_ns()
            check(call, settings)
            samples.append(time.perf_counter_ns() - t)
        wall = time.perf_counter() - start
        samples.sort()
        rows.append(
            {
                "rules": n,
                "load_ms": round(load_ms, 1),
                "checks_per_second": round(len(calls) / wall),
                "p50_us": round(statistics.median(samples) / 1000),
                "p99_us": round(samples[int(len(samples) * 0.99) - 1] / 1000),
            }
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "policy.json").write_text(json.dumps(rows, indent=2))
    print("| org rules | policy load | checks/s | p50 | p99 |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['rules']} | {r['load_ms']} ms | {r['checks_per_second']:,} | {r['p50_us']} µs | {r['p99_us']} µs |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
