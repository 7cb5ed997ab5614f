"""Start-up cost of one `interlock check` call, against `python -c pass` in the same venv.

    .venv/bin/python bench/bench_startup.py [--runs 30]

Times process start to answer (median of N runs; hyperfine when installed, else a loop) for
`python -c pass`, `python -c 'import interlock.cli.main'` and three `interlock check` calls, with
a warm rule-pack cache (the first call of a session writes it). Then runs
`python -X importtime` on each call and lists the modules with the largest cumulative import
time. Writes bench/out/startup.json for bench/run_all.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import measure, tool

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = ROOT / ".venv" / "bin"
CALLS = {
    "ls -la": ["ls", "-la"],
    "kubectl delete ns x": ["kubectl", "delete", "ns", "x"],
    "psql -c 'drop table x'": ["psql", "-c", "drop table x"],
}
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(args: list[str], top: int) -> list[dict[str, object]]:
    """Modules by cumulative import time (us), top-level entries of the tree only first."""
    code = "import sys; from interlock.cli.main import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [str(BIN / "python"), "-X", "importtime", "-c", code, *args],
        capture_output=True,
        text=True,
        env=os.environ | {"PYTHONWARNINGS": ""},
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = _LINE.match(line)
        if m:
            rows.append(
                {
                    "self_us": int(m[1]),
                    "cumulative_us": int(m[2]),
                    "depth": len(m[3]) // 2,
                    "module": m[4],
                }
            )
    total = sum(r["self_us"] for r in rows)
    rows.sort(key=lambda r: -r["cumulative_us"])
    return [{"total_us": total, "modules": len(rows)}, *rows[:top]]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--top", type=int, default=15)
    ns = p.parse_args(argv)
    subprocess.run([str(BIN / "interlock"), "check", "--", "true"], capture_output=True)  # cache
    commands = {
        "python -c pass": f"{BIN / 'python'} -c pass",
        "python -c 'import interlock.cli.main'": f"{BIN / 'python'} -c 'import interlock.cli.main'",
    }
    for label, words in CALLS.items():
        commands[f"interlock check -- {label}"] = " ".join(
            [str(BIN / "interlock"), "check", "--", *(repr(w) if " " in w else w for w in words)]
        )
    times = measure(commands, ns.runs, warmup=3)
    base = times["python -c pass"]["median_ms"]
    print(f"start-up ({tool()}, median of {ns.runs} runs; ratio to `python -c pass`)")
    for label, t in times.items():
        t["ratio"] = t["median_ms"] / base
        print(f"  {t['median_ms']:7.1f} ms  x{t['ratio']:4.2f}  {label}")
    profiles = {}
    for label, words in CALLS.items():
        rows = importtime(["check", "--", *words], ns.top)
        profiles[label] = rows
        print(
            f"\n  python -X importtime, interlock check -- {label}: "
            f"{rows[0]['total_us'] / 1e3:.1f} ms in {rows[0]['modules']} modules; top cumulative:"
        )
        for r in rows[1:]:
            print(
                f"    {r['cumulative_us'] / 1e3:7.1f} ms (self {r['self_us'] / 1e3:5.1f})  "
                f"{'  ' * r['depth']}{r['module']}"
            )
    (OUT / "startup.json").write_text(
        json.dumps(
            {"tool": tool(), "runs": ns.runs, "times": times, "importtime": profiles}, indent=1
        ),
        "utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
