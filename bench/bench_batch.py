"""Wall time of `interlock check --batch` over the corpus, start-up included.

    .venv/bin/python bench/bench_batch.py [--runs 5]

Times the first 5,000 lines of bench/out/corpus.jsonl (the issue's target) and the whole
corpus, with hyperfine when installed (`apt-get install hyperfine`), else a loop of runs;
reports the median. Writes bench/out/batch.json for bench/run_all.sh.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import measure, tool

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
INTERLOCK = ROOT / ".venv" / "bin" / "interlock"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=OUT / "corpus.jsonl")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--first", type=int, default=5000, help="lines in the target-sized batch")
    ns = p.parse_args(argv)
    lines = ns.corpus.read_text("utf-8").splitlines()
    head = OUT / f"corpus-{ns.first}.jsonl"
    head.write_text("\n".join(lines[: ns.first]) + "\n", "utf-8")
    commands = {
        f"batch {min(ns.first, len(lines))}": f"{INTERLOCK} check --batch {head}",
        f"batch {len(lines)}": f"{INTERLOCK} check --batch {ns.corpus}",
    }
    times = measure(commands, ns.runs, warmup=1)
    result = {"tool": tool(), "runs": ns.runs, "results": {}}
    print(f"interlock check --batch ({tool()}, median of {ns.runs} runs)")
    for label, t in times.items():
        n = int(label.split()[1])
        per = t["median_ms"] * 1e3 / n
        result["results"][label] = t | {"lines": n, "us_per_line": per}
        print(
            f"  {label:<12} {t['median_ms']:8.0f} ms  ({per:.0f} us/line; "
            f"min {t['min_ms']:.0f}, max {t['max_ms']:.0f}; cpu {t['cpu_ms']:.0f} ms)"
        )
    (OUT / "batch.json").write_text(json.dumps(result, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
