"""`interlock inventory collect` and `show`: write one merged inventory snapshot, inspect one.

    interlock inventory collect [--tfstate F] [--tfplan F] [--kubernetes F] [--catalogue F]
                                [--snapshot F] [--aws --region R [--region R2] [--endpoint-url U]]
                                [--context C] [--tier T] [--workspace W]
                                [-o FILE [--every DURATION [--max-runs N]]]
    interlock inventory show FILE [--max-age DURATION] [--json]

Each source option is repeatable; `-` reads stdin. `--context` names the Kubernetes context the
`--kubernetes` files came from (it is part of each object's id), `--tier` the tier of resources
that name none, `--workspace` the Terraform workspace of the state and plan files. `--snapshot`
is a saved snapshot file: its digest is checked, it is merged first (a fresh source's resource
wins over a saved one with the same id), and the result's `fetched_at` is the oldest of the
inputs' (the data is only as fresh as its oldest part). The snapshot (docs/impact.md) goes to
FILE, replaced atomically, or stdout without `-o`; a summary line goes to stderr.

`--every DURATION` (`30s`, `15m`, `1h`, `1h30m`) collects again on that schedule until SIGINT or
SIGTERM (the collection in progress finishes, then exit 0; a second signal abandons it, leaving
FILE as it was) or until `--max-runs N` collections have run. A failed collection is reported and
leaves FILE as it was; the schedule goes on (interlock.impact.refresh).
Exit codes: 0 written, 1 usage or bad input (with `--max-runs`: the last collection failed).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import Parser, UsageError, print_error
from interlock.model import InputError, InterlockError, InternalError

if TYPE_CHECKING:
    import argparse
    from datetime import timedelta

    from interlock.impact.model import Snapshot
    from interlock.impact.refresh import Clock, Refresh, Wait

SOURCES = ("tfstate", "tfplan", "kubernetes", "catalogue")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="interlock inventory", description="Collect and inspect inventory snapshots.")
    sub = p.add_subparsers(dest="action", required=True)
    c = sub.add_parser("collect", help="load sources and write one merged snapshot")
    for name in SOURCES:
        c.add_argument(f"--{name}", action="append", default=[], metavar="FILE")
    c.add_argument("--snapshot", action="append", default=[], metavar="FILE", help="a saved one")
    c.add_argument("--aws", action="store_true", help="collect the live AWS account (boto3)")
    c.add_argument("--region", action="append", default=[], metavar="R")
    c.add_argument("--endpoint-url", default=None, metavar="U", help="e.g. a moto server")
    c.add_argument("--context", default="", help="the Kubernetes context of --kubernetes files")
    c.add_argument("--tier", default="", choices=["", "prod", "staging", "dev", "local"])
    c.add_argument("--workspace", default="", help="the Terraform workspace of state/plans")
    c.add_argument("-o", "--output", default=None, metavar="FILE")
    c.add_argument("--every", type=_duration, default=None, metavar="DURATION", help="e.g. 15m")
    c.add_argument("--max-runs", type=_count, default=None, metavar="N", help="with --every")
    s = sub.add_parser("show", help="a snapshot's digest, age and counts")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--max-age", type=_duration, default=None, metavar="DURATION")
    s.add_argument("--json", action="store_true")
    return p


def _duration(text: str) -> timedelta:
    import argparse

    from interlock.impact.refresh import parse_duration

    try:
        return parse_duration(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _count(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"`{text}` is not a whole number of at least 1")
    return int(text)


def _check(ns: Any) -> None:
    """The combinations argparse cannot express; each is a usage error."""
    if ns.action != "collect" or ns.every is None:
        if getattr(ns, "max_runs", None) is not None:
            raise UsageError("--max-runs needs --every")
        return
    if ns.output in (None, "-"):
        raise UsageError("--every needs -o FILE: the file it keeps fresh")
    if any("-" in getattr(ns, name) for name in (*SOURCES, "snapshot")):
        raise UsageError("--every reads its sources again on every run; `-` (stdin) cannot be")
    if any(_same_file(path, ns.output) for path in ns.snapshot):
        raise UsageError(f"--every would merge `{ns.output}` into itself; give another -o FILE")


def _same_file(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def main(
    argv: Sequence[str],
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    now: Callable[[], datetime] | None = None,
    wait: Wait | None = None,
) -> int:
    """`now` is the clock; `wait(seconds)` the pause between `--every` collections (False:
    stop), by default one that SIGINT and SIGTERM cut short."""
    try:
        ns = build_parser().parse_args(list(argv))
        _check(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    clock = now or (lambda: datetime.now(UTC))
    if ns.action == "show":
        from interlock.cli.inventory_show import show

        return show(ns, stdin, stdout, stderr, clock())
    if ns.every is not None:
        return _every(ns, stdin, stderr, clock, wait)
    when = clock().replace(microsecond=0).isoformat()
    try:
        snap = collect(ns, stdin, when)
        _write(snap, ns.output, stdout)
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    except Exception as exc:  # a bug must not leave a half-trusted snapshot behind
        print_error(stderr, "internal.error", f"internal error ({type(exc).__name__})")
        return 1
    print(
        f"inventory: {len(snap.resources)} resources, {len(snap.edges)} edges, {snap.digest}",
        file=stderr,
    )
    return 0


def collect(ns: Any, stdin: TextIO, when: str) -> Snapshot:
    from interlock.impact import loaders

    load: dict[str, Callable[[str], Snapshot]] = {
        "tfstate": lambda t: loaders.from_tfstate(t, ns.tier, ns.workspace, when),
        "tfplan": lambda t: loaders.from_tfplan(t, ns.tier, ns.workspace, when),
        "kubernetes": lambda t: loaders.from_kubernetes(t, ns.context, ns.tier, when),
        "catalogue": lambda t: loaders.from_catalogue(t, when),
    }
    _require_source(ns)
    saved = [_saved(path, stdin) for path in ns.snapshot]
    snaps = [load[name](read(path, stdin)) for name in SOURCES for path in getattr(ns, name)]
    if ns.aws:
        snaps.append(_aws(ns, when))
    # saved snapshots first: a fresh source's resource wins over a saved one with the same id
    return loaders.merge(*saved, *snaps, fetched_at=_oldest(when, saved))


def _require_source(ns: Any) -> None:
    if not (ns.aws or any(getattr(ns, name) for name in (*SOURCES, "snapshot"))):
        raise InputError(
            "give at least one source: --tfstate, --tfplan, --kubernetes, --catalogue, "
            "--snapshot or --aws",
            "input.inventory",
        )


def _saved(path: str, stdin: TextIO) -> Snapshot:
    """A saved snapshot file, its digest checked; it must say when it was fetched."""
    from interlock.impact.model import snapshot_from_json
    from interlock.impact.refresh import parse_time

    text = read(path, stdin)
    try:
        snap = snapshot_from_json(text)
    except InputError as exc:
        why = exc.message.removeprefix("inventory snapshot: ")
        raise InputError(f"snapshot `{path}`: {why}", exc.code) from None
    if parse_time(snap.fetched_at) is None:
        raise InputError(
            f"snapshot `{path}` has no valid `fetched_at`; collect it again", "input.inventory"
        )
    return snap


def _oldest(when: str, saved: Sequence[Snapshot]) -> str:
    """The merged snapshot is only as fresh as its oldest part."""
    from interlock.impact.refresh import parse_time

    times = [(parse_time(t), t) for t in (when, *(s.fetched_at for s in saved))]
    return min((at, t) for at, t in times if at is not None)[1]


def _aws(ns: Any, when: str) -> Snapshot:
    """The live account, through the AWS collector (imported only when asked for)."""
    from interlock.impact.collect_aws import client_factory
    from interlock.impact.collect_aws import collect as collect_aws

    return collect_aws(client_factory(endpoint_url=ns.endpoint_url), ns.region, when)


def read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read `{path}`: {exc.strerror}", "input.unreadable") from None
    except UnicodeDecodeError:
        raise InputError(f"`{path}` is not UTF-8 text", "input.inventory") from None


def _write(snap: Snapshot, output: str | None, stdout: TextIO) -> None:
    from interlock.impact.model import snapshot_to_json
    from interlock.impact.refresh import write_atomic

    text = snapshot_to_json(snap)
    if output is None or output == "-":
        stdout.write(text)
        return
    write_atomic(output, text)


def _every(ns: Any, stdin: TextIO, stderr: TextIO, clock: Clock, wait: Wait | None) -> int:
    """`--every`: collect on a schedule into `ns.output` (interlock.impact.refresh)."""
    from interlock.impact.refresh import run_every

    try:
        _require_source(ns)
    except InputError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1

    def gather(when: str) -> Snapshot:
        return collect(ns, stdin, when)

    def report(result: Refresh) -> None:
        _report(result, ns.output, stderr)

    if wait is not None:
        runs, last = run_every(gather, ns.output, ns.every, clock, wait, report, ns.max_runs)
        return _last_failed(runs, last, ns.max_runs)
    with _Signals() as signals:
        try:
            runs, last = run_every(
                gather, ns.output, ns.every, clock, signals.wait, report, ns.max_runs
            )
        except KeyboardInterrupt:  # a second signal: the collection in progress is abandoned
            print(f"inventory: stopped; `{ns.output}` left as it was", file=stderr)
            return 0
    if signals.stopped:
        print("inventory: stopped", file=stderr)
        return 0
    return _last_failed(runs, last, ns.max_runs)


def _last_failed(runs: int, last: Refresh | None, max_runs: int | None) -> int:
    """1 when `--max-runs` collections ran and the last of them failed (the file is stale)."""
    failed = last is not None and last.snapshot is None
    return 1 if failed and runs == max_runs else 0


def _report(result: Refresh, path: str, stderr: TextIO) -> None:
    snap = result.snapshot
    if snap is None:
        error = result.error or InternalError("collection failed")
        print_error(stderr, error.code, f"{error.message} (`{path}` left as it was)")
        return
    at = result.at.replace(microsecond=0).isoformat()
    counts = f"{len(snap.resources)} resources, {len(snap.edges)} edges"
    print(f"inventory: {at} {result.status}: {counts}, {snap.digest}", file=stderr)


class _Signals:
    """Waits that SIGINT and SIGTERM cut short: the first signal lets the collection in
    progress finish and stops the schedule; a second one abandons it (KeyboardInterrupt).

    The signal's wake-up byte goes to a socket pair the wait selects on, so a signal that
    arrives just before the wait begins still ends it."""

    stopped = False

    def __enter__(self) -> _Signals:
        import signal
        import socket

        self._r, self._w = socket.socketpair()
        self._r.setblocking(False)
        self._w.setblocking(False)
        self._fd: int | None = None
        self._old: dict[int, Any] = {}
        try:
            self._fd = signal.set_wakeup_fd(self._w.fileno(), warn_on_full_buffer=False)
            self._old = {s: signal.signal(s, self._on) for s in (signal.SIGINT, signal.SIGTERM)}
        except ValueError:
            pass  # not the main thread: signals stay with whoever owns them; waits run out
        return self

    def __exit__(self, *_exc: object) -> None:
        import signal

        for number, handler in self._old.items():
            signal.signal(number, handler)
        if self._fd is not None:
            signal.set_wakeup_fd(self._fd)
        self._r.close()
        self._w.close()

    def _on(self, _signum: int, _frame: Any) -> None:
        if self.stopped:
            raise KeyboardInterrupt
        self.stopped = True

    def wait(self, seconds: float) -> bool:
        import select
        import time

        deadline = time.monotonic() + seconds
        while not self.stopped and (left := deadline - time.monotonic()) > 0:
            select.select([self._r], [], [], left)
            self._drain()
        return not self.stopped

    def _drain(self) -> None:
        try:
            while self._r.recv(64):
                pass
        except OSError:
            pass  # nothing left to read


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
