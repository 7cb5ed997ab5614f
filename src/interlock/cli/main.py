"""`interlock` console script: dispatch to one module per command.

Exit codes: 0 allow, 3 ask, 2 deny, 1 usage or internal error (which also prints a deny).
Imports stay lazy: a hook pays only for the command it runs.
"""

from __future__ import annotations

import sys

# `typing` and `collections.abc` cost several ms: only the type checker imports them here
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import TextIO

COMMANDS = {
    "check": ("interlock.cli.check", "decide whether a command may run"),
    "explain": ("interlock.cli.explain", "show every stage of a decision"),
    "packs": ("interlock.cli.packs", "list the rules Interlock applies"),
    "hook": ("interlock.cli.hook", "answer an agent's hook (claude-code, codex, cursor, …)"),
    "simulate": ("interlock.cli.simulate", "show what applying a Terraform plan would do"),
    "inventory": ("interlock.cli.inventory", "collect an inventory snapshot of the environment"),
    "policy": ("interlock.cli.policy", "test and lint policy files"),
    "daemon": ("interlock.cli.daemon", "keep Interlock loaded so hooks answer in milliseconds"),
    "freeze": ("interlock.cli.freeze", "stop agents now: one, all, or all against an environment"),
    "unfreeze": (
        "interlock.cli.unfreeze",
        "lift a kill switch (asks for approval in gateway mode)",
    ),
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


# the hot paths: commands whose only output is their answer on stdout/stderr and exit code
FAST_EXIT = frozenset({"check", "hook"})


def run() -> None:
    """The console script.

    `check` and `hook` run on every command an agent proposes and write nothing but their
    answer, so for them the cyclic collector is off while modules load (a batch turns it back
    on), and `os._exit` skips interpreter teardown (about 8 ms) once the answer is flushed.
    Every other command exits the ordinary way, so whatever it wrote is closed properly.

    Before anything else, `check` and `hook` ask the resident daemon (`interlock daemon`)
    through a stdlib-only client; on any failure they decide in-process, never allow.
    """
    import os

    fast = len(sys.argv) > 1 and sys.argv[1] in FAST_EXIT
    stdin = None
    if fast:
        from interlock.daemon.client import try_daemon

        answer, stdin = try_daemon(sys.argv[1:])
        if answer is not None:
            _leave(*answer)
        import gc

        gc.disable()
    try:
        code = main(None, stdin)
    except KeyboardInterrupt:
        code = 1
    except BrokenPipeError:
        code = 1
    if not fast:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1  # an answer that could not be written is never an allow
    os._exit(code)


def _leave(code: int, out: str, err: str) -> None:
    """Write the daemon's answer and exit as the in-process command would have."""
    import os

    try:
        if out:
            sys.stdout.write(out)
        if err:
            sys.stderr.write(err)
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        code = code or 1  # an answer that could not be written is never an allow
    os._exit(code)
