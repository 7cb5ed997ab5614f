"""Wall time of a command: hyperfine when it is installed, else a loop of runs.

Both report the median, mean, min and max wall time in milliseconds, and the mean CPU time
(user + system) of one run, which moves less than wall time when other work shares the
machine. The command runs without a shell in between (hyperfine `-N`); its stdout is discarded
and its exit code ignored (`interlock check` answers 2 or 3 for deny and ask).
Set BENCH_NO_HYPERFINE=1 to use the loop even where hyperfine is installed.
"""

from __future__ import annotations

import json
import os
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

Result = dict[str, float]


def hyperfine_available() -> bool:
    return shutil.which("hyperfine") is not None and not os.environ.get("BENCH_NO_HYPERFINE")


def tool() -> str:
    return "hyperfine" if hyperfine_available() else "loop"


def measure(commands: dict[str, str], runs: int, warmup: int = 2) -> dict[str, Result]:
    """{label: {median_ms, mean_ms, min_ms, max_ms, cpu_ms, runs}} for each command line."""
    if hyperfine_available():
        return _hyperfine(commands, runs, warmup)
    return {label: _loop(cmd, runs, warmup) for label, cmd in commands.items()}


def _hyperfine(commands: dict[str, str], runs: int, warmup: int) -> dict[str, Result]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        argv = ["hyperfine", "--style", "none", "-N", "-i", "--warmup", str(warmup)]
        argv += ["--runs", str(runs), "--export-json", out.name]
        for label, cmd in commands.items():
            argv += ["-n", label, cmd]
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"hyperfine failed ({proc.returncode})")
        with open(out.name, encoding="utf-8") as fh:
            data = json.load(fh)
    result = {}
    for r in data["results"]:
        times = r["times"]
        result[r["command"]] = {
            "median_ms": statistics.median(times) * 1e3,
            "mean_ms": r["mean"] * 1e3,
            "min_ms": r["min"] * 1e3,
            "max_ms": r["max"] * 1e3,
            "cpu_ms": (r["user"] + r["system"]) * 1e3,
            "runs": len(times),
        }
    return result


def _loop(cmd: str, runs: int, warmup: int) -> Result:
    argv = shlex.split(cmd)
    for _ in range(warmup):
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "median_ms": statistics.median(times) * 1e3,
        "mean_ms": statistics.fmean(times) * 1e3,
        "min_ms": min(times) * 1e3,
        "max_ms": max(times) * 1e3,
        "cpu_ms": cpu / runs * 1e3,
        "runs": len(times),
    }
