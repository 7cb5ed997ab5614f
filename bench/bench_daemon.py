"""Start-up of one `interlock check` call with the resident daemon running, against
`python -c pass` and against the same call decided in-process.

    .venv/bin/python bench/bench_daemon.py [--runs 30]

Starts `interlock daemon --socket DIR/daemon.sock` (a temporary directory), waits (bounded)
until it answers, then times each call (median of N runs; hyperfine when installed, else a
loop) with `INTERLOCK_DAEMON_SOCKET` pointing at it, and again with `INTERLOCK_DAEMON=off`.
Compile bytecode first (`python -m compileall -q src/interlock`, as bench/run_all.sh does).
Writes bench/out/daemon.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
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


def wait_until_up(path: str, limit: float = 30.0) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from interlock.daemon import client

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if client.exchange(path, {"v": client.PROTOCOL, "op": "ping"}, 1.0):
            return
        time.sleep(0.05)
    raise SystemExit(f"the daemon did not answer on {path} within {limit:g} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=30)
    ns = p.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o700)
        path = os.path.join(tmp, "daemon.sock")
        proc = subprocess.Popen(
            [str(BIN / "interlock"), "daemon", "--socket", path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(path)
            results = run(path, ns.runs)
        finally:
            proc.terminate()
            proc.wait(10)
    base = results["python -c pass"]["median_ms"]
    print(f"start-up with the daemon ({tool()}, median wall of {ns.runs} runs, x python -c pass)")
    for label, t in results.items():
        t["ratio"] = t["median_ms"] / base
        print(
            f"  {t['median_ms']:7.1f} ms  x{t['ratio']:4.2f}   cpu {t['cpu_ms']:6.1f} ms  {label}"
        )
    (OUT / "daemon.json").write_text(
        json.dumps({"tool": tool(), "runs": ns.runs, "times": results}, indent=1), "utf-8"
    )
    return 0


def run(path: str, runs: int) -> dict[str, dict[str, float]]:
    checks = {
        label: shlex.join([str(BIN / "interlock"), "check", "--", *words])
        for label, words in CALLS.items()
    }
    saved = dict(os.environ)
    try:
        os.environ["INTERLOCK_DAEMON_SOCKET"] = path
        with_daemon = measure(
            {"python -c pass": f"{BIN / 'python'} -c pass"}
            | {f"daemon: interlock check -- {k}": v for k, v in checks.items()},
            runs,
            warmup=3,
        )
        os.environ["INTERLOCK_DAEMON"] = "off"
        without = measure(
            {f"in-process: interlock check -- {k}": v for k, v in checks.items()}, runs, warmup=3
        )
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return with_daemon | without


if __name__ == "__main__":
    sys.exit(main())
