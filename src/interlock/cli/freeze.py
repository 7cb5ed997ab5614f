"""`interlock freeze`: stop agents now.

    interlock freeze --agent ID | --all | --env TIER [--reason TEXT] [--by WHO]
    interlock freeze --list [--json]

A kill switch takes effect on the next check, whatever the grants and rules say. Freezing what
is already frozen changes nothing and exits 0. `interlock unfreeze` lifts a switch.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import UsageError, print_error
from interlock.model import InterlockError, KillSwitch, Tier

if TYPE_CHECKING:
    import argparse

    from interlock.store import StateStore

TIER_NAMES = tuple(t.value for t in Tier)


def now() -> datetime:
    """The clock for `at` stamps (tests replace it)."""
    return datetime.now(UTC)


def add_scope(p: argparse.ArgumentParser, *extra: str) -> None:
    """`--agent ID | --all | --env TIER` (plus `extra` flags), exactly one of them."""
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--agent", metavar="ID", help="one agent, e.g. agent:deploy-bot")
    group.add_argument("--all", action="store_true", help="every agent")
    group.add_argument("--env", metavar="TIER", help=f"every agent against {'|'.join(TIER_NAMES)}")
    for flag in extra:
        group.add_argument(flag, action="store_true")


def scope_of(ns: Any) -> tuple[str, str]:
    """`(scope, value)` from the parsed options; UsageError for an empty id or unknown tier."""
    if ns.all:
        return "all", ""
    if ns.env is not None:
        if ns.env not in TIER_NAMES:
            raise UsageError(f"unknown tier `{ns.env}`; use one of {', '.join(TIER_NAMES)}")
        return "env", ns.env
    if not ns.agent.strip():
        raise UsageError("give the agent's id, e.g. `--agent agent:deploy-bot`")
    return "agent", ns.agent.strip()


def default_by(environ: dict[str, str] | None = None) -> str:
    """`user:<login>` from `$USER`/`$LOGNAME`, else the account name, else `user:unknown`."""
    env = os.environ if environ is None else environ
    name = env.get("USER") or env.get("LOGNAME")
    if not name and environ is None:
        import getpass

        try:
            name = getpass.getuser()
        except (OSError, KeyError):
            name = ""
    return f"user:{name or 'unknown'}"


def scope_text(scope: str, value: str) -> str:
    match scope:
        case "agent":
            return f"agent `{value}`"
        case "env":
            return f"every agent against {value}"
        case _:
            return "every agent"


def build_parser() -> argparse.ArgumentParser:
    from interlock.cli.common import Parser

    p = Parser(prog="interlock freeze", description="Stop agents now (a kill switch).")
    add_scope(p, "--list")
    p.add_argument("--reason", default="", help="why; shown in every answer it causes")
    p.add_argument("--by", default=None, metavar="WHO", help="who froze it (default: user:$USER)")
    p.add_argument("--json", action="store_true", help="with --list: one JSON object")
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ns = build_parser().parse_args(list(argv))
        if ns.list:
            if ns.reason or ns.by:
                raise UsageError("`--reason` and `--by` go with a scope, not with `--list`")
            return run_store(lambda store: list_state(store, ns.json, stdout, stderr), stderr)
        if ns.json:
            raise UsageError("`--json` goes with `--list`")
        scope, value = scope_of(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    switch = KillSwitch(scope, value, ns.reason, ns.by or default_by(), stamp())
    return run_store(lambda store: freeze(store, switch, stdout), stderr)


def stamp() -> str:
    from interlock.store.state import timestamp

    return timestamp(now())


def run_store(action: Any, stderr: TextIO) -> int:
    """Open the user's store, run `action(store)`, and turn store failures into a deny line."""
    import sqlite3

    from interlock.store import data_dir, open_state

    try:
        with open_state() as store:
            code: int = action(store)
            return code
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
    except (OSError, sqlite3.Error) as exc:
        print_error(stderr, "internal.store", f"cannot use the state in `{data_dir()}`: {exc}")
    return 1


def freeze(store: StateStore, switch: KillSwitch, stdout: TextIO) -> int:
    from interlock.store import describe

    before = {(s.scope, s.value) for s in store.kill_switches()}
    store.freeze(switch)
    held = next(
        s for s in store.kill_switches() if (s.scope, s.value) == (switch.scope, switch.value)
    )
    already = "already frozen; " if (switch.scope, switch.value) in before else ""
    stdout.write(f"{already}{describe(held)} (since {held.at})\n")
    return 0


def list_state(store: StateStore, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    from interlock.store import data_dir, read_kill_switches

    switches, pending = store.kill_switches(), store.pending_unfreezes()
    seen = read_kill_switches(data_dir())
    if set(seen) != set(switches):
        warn_mirror(seen, stderr)
    if as_json:
        import json

        stdout.write(json.dumps(state_json(switches, pending), ensure_ascii=False) + "\n")
        return 0
    stdout.write(state_text(switches, pending))
    return 0


def warn_mirror(seen: Sequence[KillSwitch], stderr: TextIO) -> None:
    from interlock.store import describe

    checks_see = "; ".join(describe(s) for s in seen) or "nothing frozen"
    stderr.write(
        f"warning: checks see `{checks_see}`, which differs from the database; "
        "the next `interlock freeze` or `interlock unfreeze` rewrites it\n"
    )


def state_json(switches: Sequence[KillSwitch], pending: Sequence[Any]) -> dict[str, Any]:
    return {
        "kill_switches": [
            {"scope": s.scope, "value": s.value, "reason": s.reason, "set_by": s.set_by, "at": s.at}
            for s in switches
        ],
        "pending_unfreeze": [
            {
                "id": p.id,
                "scope": p.scope,
                "value": p.value,
                "requested_by": p.requested_by,
                "at": p.at,
            }
            for p in pending
        ],
    }


def state_text(switches: Sequence[KillSwitch], pending: Sequence[Any]) -> str:
    from interlock.store import describe

    lines = [f"{describe(s)} (since {s.at})" for s in switches] or ["nothing is frozen"]
    lines += [
        f"pending unfreeze #{p.id}: {scope_text(p.scope, p.value)}, requested by {p.requested_by} at {p.at}"
        for p in pending
    ]
    return "\n".join(lines) + "\n"
