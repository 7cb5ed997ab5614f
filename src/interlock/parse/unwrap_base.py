"""The answers a wrapper peeler gives, and the small helpers peelers share.

See `interlock.parse.unwrap` for what each answer means to the walker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from interlock.model import Command


@dataclass(frozen=True, slots=True)
class Inner:
    cmd: Command
    own_op: bool = False


@dataclass(frozen=True, slots=True)
class Script:
    text: str
    cmd: Command  # carries env/host/via for the nested script
    dynamic: bool = False
    own_op: bool = False
    args: tuple[str | None, ...] | None = None  # `$0 $1 …` (`sh -c 'rm "$1"' sh x`); None: unset


@dataclass(frozen=True, slots=True)
class Opaque:
    reason: str
    tags: tuple[str, ...] = ()
    own_op: bool = False
    host: str | None = None
    script: str | None = None  # the script file it runs, if any


Peel = Inner | Script | Opaque | list[Inner | Script | Opaque]

STDIN_FILES = frozenset({"/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"})
SHELLS = frozenset(
    "sh bash zsh dash ksh ash mksh fish tcsh csh busybox-sh yash posh rbash pdksh ksh93".split()
)
NOOP = ("true",)


def noop(cmd: Command) -> Inner:
    """A stand-in for a wrapper that runs nothing (`command -v x`, bare `eval`)."""
    return Inner(Command(argv=NOOP, text=cmd.text))


def script_args(cmd: Command, start: int) -> tuple[str | None, ...]:
    """The words from `start` on, as `$0 $1 …` of a script; None for a dynamic one."""
    return tuple(None if cmd.is_dynamic(j) else cmd.argv[j] for j in range(start, len(cmd.argv)))


def skip_options(argv: tuple[str, ...], start: int, takes_value: frozenset[str]) -> int:
    """Index of the first word at or after `start` that is not an option (or after `--`)."""
    i = start
    while i < len(argv):
        a = argv[i]
        if a == "--":
            return i + 1
        if not a.startswith("-") or a == "-":
            return i
        if a in takes_value or (a[:2] in takes_value and len(a) == 2):
            i += 2
            continue
        i += 1
    return i


def inner_at(cmd: Command, start: int, via: str, **changes: object) -> Inner | Opaque:
    if start >= len(cmd.argv):
        return Opaque(f"`{via}` with no command", ("interactive",))
    inner = cmd.shifted(start, via=via)
    if changes:
        inner = replace(inner, **changes)  # type: ignore[arg-type]
    return Inner(inner)


def via(cmd: Command, name: str) -> Command:
    return replace(cmd, via=(*cmd.via, name), stdin=None, stdin_piped=False)


def has_any(cmd: Command, flags: tuple[str, ...]) -> bool:
    return any(a in flags for a in cmd.argv[1:] if a.startswith("-"))


def flag_value(argv: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    for j, a in enumerate(argv):
        for n in names:
            if a == n and j + 1 < len(argv):
                return argv[j + 1]
            if a.startswith(n + "="):
                return a[len(n) + 1 :]
    return None


def subcommand_index(
    argv: tuple[str, ...], subs: tuple[str, ...], takes: frozenset[str]
) -> int | None:
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in takes:
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return i if a in subs else None
    return None


def stdin_script(cmd: Command, name: str, what: str) -> Script | Opaque:
    """A wrapper that runs shell code read from its standard input (`at now`, `ssh h bash`)."""
    if cmd.stdin is not None:
        return Script(cmd.stdin, via(cmd, name))
    if cmd.stdin_piped:
        return Opaque(f"{what} shell code read from a pipe", ("piped-code",))
    return Opaque(f"{what} shell code typed at its prompt", ("interactive",))
