"""In-process speed of `interlock.service.check` over the benchmark corpus.

    .venv/bin/python bench/bench_check.py [--corpus bench/out/corpus.jsonl] [--rounds 3]

Loads the rule index (reported: from YAML and from the JSON cache), checks the first command
cold (lazy imports included), runs the whole corpus once as a warm-up (every analyzer module
imported, the grammar loaded), then times every command `--rounds` times with
`time.perf_counter_ns`. Reports checks per second, p50/p90/p99/max latency over all timed
checks, the same percentiles over each command's median (which a moment of preemption by
another process does not move), the median of a few typical commands, and the slowest 10
commands (by their median). Writes the figures as JSON to bench/out/check.json for bench/run_all.sh.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TYPICAL = (
    "ls -la",
    "kubectl get pods -n prod",
    "git status",
    "kubectl delete ns x",
    "rm -rf build/",
    "terraform plan -out plan.tfplan",
)


def load_corpus(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def percentile(sorted_values: list[int], q: float) -> int:
    """Nearest-rank percentile of an already sorted list."""
    k = max(0, min(len(sorted_values) - 1, math.ceil(q / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def index_load_times() -> dict[str, float]:
    """Milliseconds to build the rule index from YAML, and from a warm JSON cache."""
    import os

    from interlock.policy.packs import load_index

    with tempfile.TemporaryDirectory() as tmp:
        old = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = tmp
        try:
            t0 = time.perf_counter_ns()
            load_index()  # cold: parses YAML, writes the cache
            t1 = time.perf_counter_ns()
            cached = []
            for _ in range(5):
                s = time.perf_counter_ns()
                load_index()
                cached.append(time.perf_counter_ns() - s)
        finally:
            if old is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = old
    return {"yaml_ms": (t1 - t0) / 1e6, "cache_ms": statistics.median(cached) / 1e6}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=OUT / "corpus.jsonl")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--json", type=Path, default=OUT / "check.json")
    ns = p.parse_args(argv)

    t0 = time.perf_counter_ns()
    from interlock.model import Mode
    from interlock.policy.packs import load_index
    from interlock.service import CheckCall, Settings, check

    import_ms = (time.perf_counter_ns() - t0) / 1e6
    loads = index_load_times()
    settings = Settings(rules=load_index())
    corpus = load_corpus(ns.corpus)
    calls = [
        CheckCall(command=c["command"], mode=Mode(c.get("mode", "workstation")), id=c["id"])
        for c in corpus
    ]

    s = time.perf_counter_ns()
    check(calls[0], settings)
    first_ms = (time.perf_counter_ns() - s) / 1e6

    for call in calls:  # warm-up: import every analyzer, load the grammar
        check(call, settings)

    samples: list[list[int]] = [[] for _ in calls]
    verdicts: dict[str, int] = {}
    total_ns = 0
    for _ in range(ns.rounds):
        gc.collect()
        start = time.perf_counter_ns()
        for i, call in enumerate(calls):
            a = time.perf_counter_ns()
            d = check(call, settings)
            samples[i].append(time.perf_counter_ns() - a)
            if _ == 0:
                verdicts[d.verdict.value] = verdicts.get(d.verdict.value, 0) + 1
        total_ns += time.perf_counter_ns() - start

    flat = sorted(x for per in samples for x in per)
    typical = {}
    for text in TYPICAL:
        call = CheckCall(command=text)
        runs = []
        for _ in range(500):
            a = time.perf_counter_ns()
            check(call, settings)
            runs.append(time.perf_counter_ns() - a)
        typical[text] = statistics.median(runs) / 1e3
    per_command = sorted(statistics.median(per) for per in samples)
    medians = sorted(
        ((statistics.median(per), corpus[i]) for i, per in enumerate(samples)), key=lambda x: -x[0]
    )
    result = {
        "commands": len(calls),
        "rounds": ns.rounds,
        "import_ms": import_ms,
        "index_yaml_ms": loads["yaml_ms"],
        "index_cache_ms": loads["cache_ms"],
        "first_check_ms": first_ms,
        "checks_per_s": len(flat) / (total_ns / 1e9),
        "p50_us": percentile(flat, 50) / 1e3,
        "p90_us": percentile(flat, 90) / 1e3,
        "p99_us": percentile(flat, 99) / 1e3,
        "max_us": flat[-1] / 1e3,
        "mean_us": statistics.fmean(flat) / 1e3,
        "median_p50_us": percentile(per_command, 50) / 1e3,
        "median_p90_us": percentile(per_command, 90) / 1e3,
        "median_p99_us": percentile(per_command, 99) / 1e3,
        "median_max_us": per_command[-1] / 1e3,
        "typical_us": typical,
        "verdicts": verdicts,
        "slowest": [
            {"us": m / 1e3, "id": c["id"], "command": c["command"]} for m, c in medians[:10]
        ],
    }
    ns.json.parent.mkdir(parents=True, exist_ok=True)
    ns.json.write_text(json.dumps(result, indent=1), "utf-8")
    print_report(result)
    return 0


def print_report(r: dict) -> None:
    print(f"in-process check: {r['commands']} commands x {r['rounds']} rounds after a warm-up")
    print(f"  import interlock.service ...     {r['import_ms']:8.1f} ms")
    print(
        f"  rule index from YAML / cache     {r['index_yaml_ms']:8.1f} / {r['index_cache_ms']:.1f} ms"
    )
    print(f"  first check (lazy imports)       {r['first_check_ms']:8.1f} ms")
    print(f"  checks per second                {r['checks_per_s']:8.0f}")
    print(
        f"  latency p50 / p90 / p99 / max    {r['p50_us']:.0f} / {r['p90_us']:.0f} / "
        f"{r['p99_us']:.0f} / {r['max_us']:.0f} us (mean {r['mean_us']:.0f})"
    )
    print(
        f"  per-command median p50/p90/p99/max {r['median_p50_us']:.0f} / "
        f"{r['median_p90_us']:.0f} / {r['median_p99_us']:.0f} / {r['median_max_us']:.0f} us"
    )
    print(f"  verdicts (round 1)               {r['verdicts']}")
    print("  typical commands (median of 500):")
    for text, us in r["typical_us"].items():
        print(f"    {us:8.1f} us  {text}")
    print("  slowest 10 (median over rounds):")
    for s in r["slowest"]:
        cmd = s["command"].replace("\n", "\\n")
        print(f"    {s['us']:8.0f} us  {s['id']}  {cmd[:90]}")


if __name__ == "__main__":
    sys.exit(main())
