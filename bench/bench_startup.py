"""Start-up cost of one `interlock check` call, against `python -c pass` in the same venv.

    .venv/bin/python bench/bench_startup.py [--runs 30]

Times process start to answer (median of N runs; hyperfine when installed, else a loop) for
`python -c pass`, `python -c 'import interlock.cli.main'` and four `interlock check` calls, with
a warm rule-pack cache (the first call of a session writes it) and compiled bytecode (run
`python -m compileall src/interlock` first, as bench/run_all.sh does: an editable install under
PYTHONDONTWRITEBYTECODE would otherwise compile every module on every call). The last call's
SQL needs the sqlglot parser; `drop table x` is classified without it. Then runs the console
script under `python -X importtime` for each call and lists the modules with the largest self
import time. Writes bench/out/startup.json for bench/run_all.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
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
    "psql -c 'delete … (select …)'": [
        "psql",
        "-c",
        "delete from users where id in (select id from x)",
    ],
}
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(args: list[str], top: int) -> list[dict[str, object]]:
    """Modules by self import time (us), as the console script loads them."""
    proc = subprocess.run(
        [str(BIN / "python"), "-X", "importtime", str(BIN / "interlock"), *args],
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
    rows.sort(key=lambda r: -r["self_us"])
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
        commands[f"interlock check -- {label}"] = shlex.join(
            [str(BIN / "interlock"), "check", "--", *words]
        )
    times = measure(commands, ns.runs, warmup=3)
    base = times["python -c pass"]["median_ms"]
    cpu = times["python -c pass"]["cpu_ms"]
    print(f"start-up ({tool()}, median wall of {ns.runs} runs, ratio to `python -c pass`; CPU)")
    for label, t in times.items():
        t["ratio"] = t["median_ms"] / base
        t["cpu_ratio"] = t["cpu_ms"] / cpu
        print(
            f"  {t['median_ms']:7.1f} ms  x{t['ratio']:4.2f}   cpu {t['cpu_ms']:6.1f} ms "
            f"x{t['cpu_ratio']:4.2f}  {label}"
        )
    profiles = {}
    for label, words in CALLS.items():
        rows = importtime(["check", "--", *words], ns.top)
        profiles[label] = rows
        print(
            f"\n  python -X importtime, interlock check -- {label}: "
            f"{rows[0]['total_us'] / 1e3:.1f} ms in {rows[0]['modules']} modules; top self:"
        )
        for r in rows[1:]:
            print(
                f"    {r['self_us'] / 1e3:6.2f} ms (cumulative {r['cumulative_us'] / 1e3:6.2f})  "
                f"{r['module']}"
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
