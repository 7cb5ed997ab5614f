"""`interlock unfreeze`: lift a kill switch.

    interlock unfreeze --agent ID | --all | --env TIER [--by WHO] [--mode workstation|gateway]

On a workstation this lifts the switch (exit 0). In gateway mode (`--mode gateway` or
`INTERLOCK_MODE=gateway`) unfreezing is itself an action that needs approval: the switch stays,
a pending request is recorded, and the answer is `ask` with exit 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from interlock.cli import freeze
from interlock.cli.common import UsageError, default_mode, print_error
from interlock.cli.freeze import add_scope, default_by, run_store, scope_of, scope_text
from interlock.model import InterlockError, Mode

if TYPE_CHECKING:
    import argparse

    from interlock.store import StateStore

EXIT_ASK = 3


def build_parser() -> argparse.ArgumentParser:
    from interlock.cli.common import Parser

    p = Parser(prog="interlock unfreeze", description="Lift a kill switch.")
    add_scope(p)
    p.add_argument("--by", default=None, metavar="WHO", help="who lifts it (default: user:$USER)")
    p.add_argument(
        "--mode",
        choices=[m.value for m in Mode],
        default=None,
        help="gateway: record a request that needs approval instead of lifting the switch",
    )
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ns = build_parser().parse_args(list(argv))
        scope, value = scope_of(ns)
        mode = default_mode(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    by = ns.by or default_by()
    if mode is Mode.GATEWAY:
        return run_store(lambda store: request(store, scope, value, by, stdout), stderr)
    return run_store(lambda store: unfreeze(store, scope, value, by, stdout), stderr)


def unfreeze(store: StateStore, scope: str, value: str, by: str, stdout: TextIO) -> int:
    what = scope_text(scope, value)
    lifted = store.unfreeze(scope, value, by)
    stdout.write(f"unfrozen: {what}\n" if lifted else f"not frozen: {what}\n")
    still_frozen(store, stdout)
    return 0


def request(store: StateStore, scope: str, value: str, by: str, stdout: TextIO) -> int:
    what = scope_text(scope, value)
    if not any((s.scope, s.value) == (scope, value) for s in store.kill_switches()):
        stdout.write(f"not frozen: {what}\n")
        return 0
    pending = store.request_unfreeze(
        scope, value, by, freeze.now()
    )  # looked up per call: tests fix the clock
    stdout.write(
        f"{'ask':<5} kill.unfreeze: unfreezing {what} needs approval "
        f"(request #{pending.id} by {pending.requested_by} at {pending.at})\n"
    )
    return EXIT_ASK


def still_frozen(store: StateStore, stdout: TextIO) -> None:
    from interlock.store import describe

    for s in store.kill_switches():
        stdout.write(f"still frozen: {describe(s)}\n")
