"""How `find` chooses files: its start paths, and whether its expression narrows what it visits.

`find ROOT -exec CMD {} +` runs CMD on ROOT and everything below it unless a test (`-name`,
`-type`, `-mtime` …) narrows the match; the walker hands the analyzer `ROOT/{}` with the find
command's text, so `exec_unfiltered` re-reads that text to tell the two apart.
"""

from __future__ import annotations

import shlex
from functools import lru_cache

from interlock.model import Command

_GLOBAL = frozenset({"-H", "-L", "-P"})
_GLOBAL_VALUE = frozenset({"-D", "-O"})
# expression words that do not narrow which files are visited
NOT_FILTERS = frozenset(
    (
        "-depth -maxdepth -mindepth -xdev -mount -print -print0 -delete -follow -noleaf -true "
        "-ignore_readdir_race -noignore_readdir_race -daystart -type -xtype -d -prune -regextype "
        "-warn -nowarn -a -and -o -or"
    ).split()
)
_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})


def split(args: tuple[str, ...] | list[str]) -> tuple[list[str], list[str]]:
    """find's start paths (default `.`) and its expression."""
    i, n = 0, len(args)
    while i < n and (args[i] in _GLOBAL or args[i][:2] in _GLOBAL_VALUE):
        i += 2 if args[i] in _GLOBAL_VALUE else 1
    roots: list[str] = []
    while i < n and not args[i].startswith(("-", "(", "!", "\\(")):
        roots.append(args[i])
        i += 1
    return roots or ["."], list(args[i:])


def filtered(expr: list[str], stop: frozenset[str] = _EXEC) -> bool:
    """True when a test before the first action in `stop` narrows the files visited
    (`-type`, `-maxdepth` and `-prune` do not: they only shape the walk)."""
    for w in expr:
        if w in stop:
            return False
        if w.startswith("-") and w not in NOT_FILTERS:
            return True
    return False


def exec_named(cmd: Command) -> str | None:
    """For a command run by `find ROOT -name NAME -exec …`: the literal NAME (no glob), when
    `-name` is the only test, so the match is `ROOT/NAME` or `ROOT/…/NAME`."""
    if cmd.via[-1:] != ("find",):
        return None
    return _named_text(cmd.text)


@lru_cache(maxsize=256)
def _named_text(text: str) -> str | None:
    try:
        argv = shlex.split(text)
    except ValueError:
        return None
    for i, w in enumerate(argv):
        if w.rsplit("/", 1)[-1] == "find":
            _roots, expr = split(argv[i + 1 :])
            expr = expr[: next((j for j, x in enumerate(expr) if x in _EXEC), len(expr))]
            tests = [x for x in expr if x.startswith("-") and x not in NOT_FILTERS]
            if tests not in (["-name"], ["-iname"]):
                return None
            name = expr[expr.index(tests[0]) + 1] if expr[-1] != tests[0] else ""
            return name if name and not set(name) & set("*?[/") else None
    return None


def exec_unfiltered(cmd: Command) -> bool:
    """For a command run by `find … -exec`: does find hand it everything under its roots?"""
    return cmd.via[-1:] == ("find",) and _unfiltered_text(cmd.text)


@lru_cache(maxsize=256)
def _unfiltered_text(text: str) -> bool:
    try:
        argv = shlex.split(text)
    except ValueError:
        return True  # unreadable: assume the widest reading
    for i, w in enumerate(argv):
        if w.rsplit("/", 1)[-1] == "find":
            _roots, expr = split(argv[i + 1 :])
            return not filtered(expr)
    return True
