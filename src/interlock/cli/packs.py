"""`interlock packs [--json]`: the rules Interlock applies, with their ids, effects and titles."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from interlock.cli.common import Parser, UsageError, print_error
from interlock.model import InterlockError


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    p = Parser(prog="interlock packs", description="List the rules Interlock applies.")
    p.add_argument("--json", action="store_true")
    p.add_argument("--rules", action="append", default=[], metavar="DIR")
    try:
        ns = p.parse_args(list(argv))
        from pathlib import Path

        from interlock.policy.packs import load_index

        index = load_index(tuple(Path(d) for d in ns.rules))
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    for r in index.rules:
        row = {
            "id": r.id,
            "effect": r.effect.value,
            "title": r.title,
            "pack": r.pack,
            "modes": sorted(m.value for m in r.modes),
            "why": r.why,
        }
        if ns.json:
            stdout.write(json.dumps(row) + "\n")
        else:
            stdout.write(f"{r.effect.value:<5} {r.id:<45} {r.title}\n")
    return 0
