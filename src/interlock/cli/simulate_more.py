"""`interlock simulate` extras: blast-radius pictures (`--svg`, `--png`), the SQL twin
(`--sql-twin DSN --sql TEXT|-`) and the AWS twin's options (`--aws-twin`, `--region`; see
`interlock.cli.simulate_twin`)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from interlock.model import InputError, Mode, Tier


def add_options(p: Any) -> None:
    p.add_argument("--svg", metavar="FILE", help="write the blast radius as an SVG picture")
    p.add_argument("--png", metavar="FILE", help="write the blast radius as a PNG picture")
    p.add_argument(
        "--sql-twin",
        metavar="DSN",
        help="run --sql in a transaction that is always rolled back (postgresql://… or sqlite:///path)",
    )
    p.add_argument("--sql", metavar="TEXT", help="the SQL for --sql-twin (- for stdin)")
    p.add_argument("--sql-timeout", type=int, default=2000, metavar="MS")
    p.add_argument("--sql-mode", choices=("auto", "run", "explain"), default="auto")
    p.add_argument(
        "--aws-twin",
        action="store_true",
        help="run the command's `aws` writes on a moto twin seeded from --inventory",
    )
    p.add_argument("--region", metavar="R", help="the AWS twin's region (default: the command's)")


def write_pictures(ns: Any, snapshot: Any, report: Any) -> None:
    """Render the blast radius with graphviz `dot` into `--svg`/`--png` files."""
    wanted = [(fmt, path) for fmt, path in (("svg", ns.svg), ("png", ns.png)) if path]
    if not wanted:
        return
    if snapshot is None or report is None:
        raise InputError("a picture needs `--inventory SNAPSHOT`", "input.usage")
    from interlock.impact.picture import render, to_dot

    dot = to_dot(snapshot, report)
    for fmt, path in wanted:
        data = render(dot, fmt)
        try:
            with open(path, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise InputError(f"cannot write `{path}`: {exc.strerror}", "input.unwritable") from None


def sql_twin(
    ns: Any, settings: Any, mode: Mode, env: Tier | None, stdin: TextIO, stdout: TextIO
) -> int:
    """`simulate --sql-twin DSN --sql TEXT`: what the SQL would do, measured on a real
    database and rolled back, and the verdict with that impact known to policy."""
    from interlock.impact.twin_sql import simulate_sql
    from interlock.impact.twin_sql_report import as_impact, summary_lines
    from interlock.service import CheckCall, check

    if not ns.sql:
        raise InputError("`--sql-twin` needs `--sql TEXT` (or `--sql -` for stdin)", "input.usage")
    sql = stdin.read() if ns.sql == "-" else ns.sql
    result = simulate_sql(ns.sql_twin, sql, timeout_ms=ns.sql_timeout, mode=ns.sql_mode)
    decision = check(CheckCall(sql=sql, mode=mode, env=env, impact=as_impact(result)), settings)
    if ns.json:
        out = {
            "verdict": decision.verdict.value,
            "reason": decision.reason,
            "rules": list(decision.rules),
            "layer": decision.layer,
            "digest": decision.digest,
            "sql_twin": result.as_dict(),
        }
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        lines = [*summary_lines(result), f"verdict: {decision.verdict.value}: {decision.reason}"]
        stdout.write("\n".join(lines) + "\n")
    return decision.exit_code
