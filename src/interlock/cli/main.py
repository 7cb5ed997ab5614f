"""`interlock` console script: dispatch to one module per command.

Exit codes: 0 allow, 3 ask, 2 deny, 1 usage or internal error (which also prints a deny).
Imports stay lazy: a hook pays only for the command it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

COMMANDS = {
    "check": ("interlock.cli.check", "decide whether a command may run"),
    "explain": ("interlock.cli.explain", "show every stage of a decision"),
    "packs": ("interlock.cli.packs", "list the rules Interlock applies"),
}

USAGE = """usage: interlock <command> [options]

commands:
{commands}

Run `interlock <command> --help` for a command's options."""


def main(
    argv: Sequence[str] | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    if not argv or argv[0] in ("-h", "--help", "help"):
        lines = "\n".join(f"  {name:<10} {desc}" for name, (_m, desc) in COMMANDS.items())
        print(USAGE.format(commands=lines), file=stdout)
        return 0 if argv else 1
    if argv[0] in ("--version", "version"):
        from importlib.metadata import version

        print(f"interlock {version('interlock')}", file=stdout)
        return 0
    entry = COMMANDS.get(argv[0])
    if entry is None:
        print(f"deny  usage: unknown command `{argv[0]}`; run `interlock --help`", file=stderr)
        return 1
    import importlib

    module = importlib.import_module(entry[0])
    code: int = module.main(argv[1:], stdin, stdout, stderr)
    return code


def run() -> None:
    try:
        code = main()
    except KeyboardInterrupt:
        code = 1
    except BrokenPipeError:
        code = 1
    sys.exit(code)
