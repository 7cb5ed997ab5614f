"""Print the benchmark figures in bench/out/*.json as a Markdown table, with the machine.

    .venv/bin/python bench/report.py

Reads check.json (bench_check.py), batch.json (bench_batch.py) and startup.json
(bench_startup.py); a missing file leaves its rows out.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def _load(name: str) -> dict | None:
    path = OUT / name
    return json.loads(path.read_text("utf-8")) if path.is_file() else None


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"load average {load} (1/5/15 min) when the report was printed"
    )


def rows() -> list[tuple[str, str, str, str]]:
    out: list[tuple[str, str, str, str]] = []
    check = _load("check.json")
    if check:
        for text, us in check["typical_us"].items():
            out.append(
                (f"in-process `{text}` (median of 500)", "< 1 ms", f"{us:.0f} µs", _ok(us < 1000))
            )
        n = check["commands"]
        out.append(
            (
                f"in-process p50 / p90 over {n} commands",
                "",
                f"{check['p50_us']:.0f} / {check['p90_us']:.0f} µs",
                "",
            )
        )
        out.append(
            (
                f"in-process p99 over {n} commands x {check['rounds']}",
                "< 1 ms",
                f"{check['p99_us']:.0f} µs",
                _ok(check["p99_us"] < 1000),
            )
        )
        out.append(
            (
                f"in-process p50 / p90 / p99 of each command's median over {check['rounds']}",
                "< 1 ms",
                f"{check['median_p50_us']:.0f} / {check['median_p90_us']:.0f} / "
                f"{check['median_p99_us']:.0f} µs",
                _ok(check["median_p99_us"] < 1000),
            )
        )
        out.append(("in-process max (one check)", "", f"{check['max_us'] / 1e3:.1f} ms", ""))
        out.append(
            ("in-process checks per second (one core)", "", f"{check['checks_per_s']:.0f}", "")
        )
        out.append(
            (
                "rule index from the JSON cache / from YAML",
                "",
                f"{check['index_cache_ms']:.1f} / {check['index_yaml_ms']:.1f} ms",
                "",
            )
        )
        out.append(
            ("first check in a process (lazy imports)", "", f"{check['first_check_ms']:.1f} ms", "")
        )
    batch = _load("batch.json")
    if batch:
        for t in batch["results"].values():
            target = "< 1.5 s" if t["lines"] == 5000 else ""
            met = _ok(t["median_ms"] < 1500) if target else ""
            out.append(
                (
                    f"`interlock check --batch`, {t['lines']} lines (median of {t['runs']}; CPU)",
                    target,
                    f"{t['median_ms'] / 1e3:.2f} s ({t['us_per_line']:.0f} µs/line; CPU {t['cpu_ms'] / 1e3:.2f} s)",
                    met,
                )
            )
    start = _load("startup.json")
    if start:
        base = start["times"]["python -c pass"]
        for label, t in start["times"].items():
            is_call = label.startswith("interlock check")
            out.append(
                (
                    f"`{label}` (median of {t['runs']}; CPU)",
                    "<= 2x `python -c pass`" if is_call else "",
                    f"{t['median_ms']:.1f} ms = {t['median_ms'] / base['median_ms']:.2f}x "
                    f"(CPU {t['cpu_ms']:.1f} ms = {t['cpu_ms'] / base['cpu_ms']:.2f}x)",
                    _ok(t["median_ms"] <= 2 * base["median_ms"]) if is_call else "",
                )
            )
    return out


def _ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


def main() -> int:
    print(f"Machine: {machine()}\n")
    print("| measure | target | measured | met |")
    print("|---|---|---|---|")
    for row in rows():
        print("| " + " | ".join(row) + " |")
    check = _load("check.json")
    if check:
        print("\nSlowest commands in-process (median over rounds):\n")
        for s in check["slowest"]:
            cmd = s["command"].replace("\n", "\\n").replace("|", "\\|")
            print(f"- {s['us']:.0f} µs `{cmd[:100]}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
