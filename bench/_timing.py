"""Wall time of a shell command: hyperfine when it is installed, else a loop of runs.

Both report the median and the spread in milliseconds; stdout is discarded, the exit code is
ignored (`interlock check` answers 2 or 3 for deny and ask).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time


def hyperfine_available() -> bool:
    return shutil.which("hyperfine") is not None and not os.environ.get("BENCH_NO_HYPERFINE")


def measure(commands: dict[str, str], runs: int, warmup: int = 2) -> dict[str, dict[str, float]]:
    """{label: {median_ms, mean_ms, min_ms, max_ms, runs}} for each shell command."""
    if hyperfine_available():
        return _hyperfine(commands, runs, warmup)
    return {label: _loop(cmd, runs, warmup) for label, cmd in commands.items()}


def _hyperfine(commands: dict[str, str], runs: int, warmup: int) -> dict[str, dict[str, float]]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        argv = [
            "hyperfine",
            "--style",
            "none",
            "-N",
            "-i",
            "--warmup",
            str(warmup),
            "--runs",
            str(runs),
            "--export-json",
            out.name,
        ]
        for label, cmd in commands.items():
            argv += ["-n", label, cmd]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
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
            "runs": len(times),
        }
    return result


def _loop(cmd: str, runs: int, warmup: int) -> dict[str, float]:
    argv = shlex.split(cmd)  # no shell in between, as hyperfine -N
    times = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if i >= warmup:
            times.append(time.perf_counter() - t0)
    return {
        "median_ms": statistics.median(times) * 1e3,
        "mean_ms": statistics.fmean(times) * 1e3,
        "min_ms": min(times) * 1e3,
        "max_ms": max(times) * 1e3,
        "runs": len(times),
    }


def tool() -> str:
    return "hyperfine" if hyperfine_available() else "loop"
