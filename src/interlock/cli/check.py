"""`interlock check`: one command, or a batch of JSON Lines.

    interlock check [--mode workstation|gateway] [--env TIER] [--json] -- COMMAND…
    interlock check --batch FILE|-

One argument after `--` is a shell command line; several are taken as an argv and quoted back
into one (bare shell operators such as `|`, `&&`, `;` are kept as operators).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import (
    COMMON_OPTIONS,
    UsageError,
    add_common,
    agent_id,
    default_mode,
    parse_known,
    print_error,
    settings_from,
)
from interlock.model import Decision, InterlockError, Mode, Tier

if TYPE_CHECKING:
    from interlock.cli.common import Parser

_OPERATORS = frozenset(
    {"|", "||", "&&", ";", "&", "|&", ">", ">>", "<", "<<<", "2>", "2>&1", "&>", ";;"}
)
OPTIONS = COMMON_OPTIONS | {"--json": (False, False, None), "--batch": (True, False, None)}


def build_parser() -> Parser:
    from interlock.cli.common import Parser

    p = Parser(prog="interlock check", description="Decide whether a command may run.")
    add_common(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--batch", metavar="FILE", help="JSON Lines in (FILE or - for stdin), JSON Lines out"
    )
    p.add_argument("command", nargs="*", help="the command (after --)")
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ns = parse_known(argv, OPTIONS) or build_parser().parse_args(list(argv))
        mode = default_mode(ns)
        agent = agent_id(ns)
        settings = settings_from(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    if ns.batch:
        return run_batch(ns.batch, stdin, stdout, stderr, settings, mode, ns.env, agent)
    if not ns.command:
        print_error(stderr, "usage", "give the command to check after `--`, or `--batch FILE`")
        return 1
    from interlock.service import CheckCall, check

    call = CheckCall(
        command=join_command(ns.command),
        mode=mode,
        env=Tier(ns.env) if ns.env else None,
        agent=agent,
    )
    decision = check(call, settings)
    if ns.json:
        stdout.write(json.dumps(decision_json(decision), ensure_ascii=False) + "\n")
    else:
        stdout.write(decision_line(decision) + "\n")
    return decision.exit_code


def join_command(words: Sequence[str]) -> str:
    if len(words) == 1:
        return words[0]
    import shlex

    return " ".join(w if w in _OPERATORS else shlex.quote(w) for w in words)


def decision_line(d: Decision) -> str:
    head = d.verdict.value.ljust(5)
    if d.rules:
        return f"{head} {d.rules[0]}: {d.reason}"
    return f"{head} {d.reason}"


def decision_json(d: Decision) -> dict[str, Any]:
    from interlock.model.digest import operation_value

    out: dict[str, Any] = {
        "verdict": d.verdict.value,
        "reason": d.reason,
        "rules": list(d.rules),
        "operations": [operation_value(op) | {"summary": op.summary} for op in d.operations],
        "digest": d.digest,
        "mode": d.mode.value,
        "layer": d.layer,
    }
    if d.policy_digest:
        out["policy"] = d.policy_digest
    if d.approvals:
        out["approvals"] = d.approvals
    if d.errors:
        out["errors"] = list(d.errors)
    if d.impact is not None:
        out["impact"] = impact_summary(d.impact)
    return out


def impact_summary(i: Any) -> dict[str, Any]:
    """What the simulation found, as `check --json` prints it (`simulate` prints the ids)."""
    return {
        "simulated": i.simulated,
        "deleted": i.deleted,
        "services_impaired": i.services_impaired,
        "data_without_backup": i.data_without_backup,
        "restore_minutes": i.restore_minutes,
        "env_root_teardown": i.env_root_teardown,
        "tiers": sorted(i.tiers),
        "lost": [a.label() for a in i.lost],
        "roots": [a.label() for a in i.roots],
        "digest": i.digest,
    }


def run_batch(
    source: str,
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    settings: Any,
    mode: Mode,
    env: str | None,
    agent: str | None = None,
) -> int:
    import gc

    from interlock.cli.batch import process

    if not gc.isenabled():
        # the console script turns the collector off for start-up; a batch runs long, so turn
        # it back on, leaving what start-up loaded out of its scans
        gc.freeze()
        gc.enable()
    if source == "-":
        return process(stdin, stdout, settings, mode, env, agent)
    try:
        with open(source, encoding="utf-8", errors="surrogateescape") as fh:
            return process(fh, stdout, settings, mode, env, agent)
    except OSError as exc:
        print_error(stderr, "input.unreadable", f"cannot read `{source}`: {exc.strerror}")
        return 1
