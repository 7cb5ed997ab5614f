"""`interlock inventory collect`: write one merged inventory snapshot.

    interlock inventory collect [--tfstate F] [--tfplan F] [--kubernetes F] [--catalogue F]
                                [--aws --region R [--region R2] [--endpoint-url U]]
                                [--context C] [--tier T] [--workspace W] [-o FILE]

Each source option is repeatable; `-` reads stdin. `--context` names the Kubernetes context the
`--kubernetes` files came from (it is part of each object's id), `--tier` the tier of resources
that name none, `--workspace` the Terraform workspace of the state and plan files. The
snapshot (docs/impact.md) goes to FILE, or stdout without `-o`; a summary line goes to stderr.
Exit codes: 0 written, 1 usage or bad input.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import Parser, UsageError, print_error
from interlock.model import InputError, InterlockError

if TYPE_CHECKING:
    import argparse

    from interlock.impact.model import Snapshot

SOURCES = ("tfstate", "tfplan", "kubernetes", "catalogue")


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="interlock inventory", description="Collect an inventory snapshot.")
    sub = p.add_subparsers(dest="action", required=True)
    c = sub.add_parser("collect", help="load sources and write one merged snapshot")
    for name in SOURCES:
        c.add_argument(f"--{name}", action="append", default=[], metavar="FILE")
    c.add_argument("--aws", action="store_true", help="collect the live AWS account (boto3)")
    c.add_argument("--region", action="append", default=[], metavar="R")
    c.add_argument("--endpoint-url", default=None, metavar="U", help="e.g. a moto server")
    c.add_argument("--context", default="", help="the Kubernetes context of --kubernetes files")
    c.add_argument("--tier", default="", choices=["", "prod", "staging", "dev", "local"])
    c.add_argument("--workspace", default="", help="the Terraform workspace of state/plans")
    c.add_argument("-o", "--output", default=None, metavar="FILE")
    return p


def main(
    argv: Sequence[str],
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    now: Callable[[], datetime] | None = None,
) -> int:
    try:
        ns = build_parser().parse_args(list(argv))
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    when = (now or (lambda: datetime.now(UTC)))().replace(microsecond=0).isoformat()
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
    snaps = [load[name](read(path, stdin)) for name in SOURCES for path in getattr(ns, name)]
    if ns.aws:
        snaps.append(_aws(ns, when))
    if not snaps:
        raise InputError(
            "give at least one source: --tfstate, --tfplan, --kubernetes, --catalogue or --aws",
            "input.inventory",
        )
    return loaders.merge(*snaps, fetched_at=when)


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

    text = snapshot_to_json(snap)
    if output is None or output == "-":
        stdout.write(text)
        return
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise InputError(f"cannot write `{output}`: {exc.strerror}", "input.unwritable") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
