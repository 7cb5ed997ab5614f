"""Ownership and permissions: chmod, chown, chgrp, chattr, setfacl."""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import classify, names, op, read

_MODE_CHARS = frozenset("rwxXstugoa=+-,01234567")
_OPT_LONGS = (
    "--recursive",
    "--changes",
    "--silent",
    "--quiet",
    "--verbose",
    "--no-preserve-root",
    "--preserve-root",
    "--dereference",
    "--no-dereference",
    "--help",
    "--version",
)
_WHAT = {"chmod": "permissions", "chown": "owner", "chgrp": "group", "chattr": "attributes"}
_WORLD_SYMBOLIC = re.compile(r"(?:^|,)[ugo]*[ao][ugo]*[+=][rwxXst]*w")


def _split(args: tuple[str, ...], mode_first: bool) -> tuple[set[str], dict[str, str], list[str]]:
    """chmod-style arguments: a leading `-x` may be a mode, not an option."""
    flags: set[str] = set()
    values: dict[str, str] = {}
    pos: list[str] = []
    ended = False
    for a in args:
        if ended or len(a) < 2 or a[0] != "-":
            pos.append(a)
        elif a == "--":
            ended = True
        elif a.startswith("--"):
            name, _, val = a.partition("=")
            cands = [k for k in _OPT_LONGS if k.startswith(name)]
            key = cands[0] if len(cands) == 1 else name
            if val:
                values[key] = val
            flags.add(key)
        elif mode_first and not pos and set(a[1:]) <= _MODE_CHARS and "R" not in a:
            pos.append(a)
        else:
            flags.update("-" + ch for ch in a[1:])
    return flags, values, pos


def _recursive(flags: set[str]) -> bool:
    return bool(flags & {"-R", "--recursive"})


def _world_writable(mode: str) -> bool:
    if mode.isdigit():
        return mode[-1] in "2367"
    return bool(_WORLD_SYMBOLIC.search(mode))


def chmod(cmd: Command, ctx: Context) -> list[Operation]:
    flags, values, pos = _split(cmd.args, mode_first=True)
    if flags & {"--help", "--version"}:
        return read(cmd, "prints `chmod` usage")
    mode = None if "--reference" in values else (pos[:1] or [None])[0]
    words = pos if mode is None else pos[1:]
    return _perm(cmd, "chmod", flags, words, world=bool(mode and _world_writable(mode)))


def chown(cmd: Command, ctx: Context) -> list[Operation]:
    flags, values, pos = _split(cmd.args, mode_first=False)
    if flags & {"--help", "--version"}:
        return read(cmd, f"prints `{cmd.program}` usage")
    words = pos if "--reference" in values else pos[1:]
    return _perm(cmd, cmd.program, flags, words)


def _perm(
    cmd: Command, action: str, flags: set[str], words: list[str], world: bool = False
) -> list[Operation]:
    infos = [classify(w, cmd) for w in words]
    if not infos:
        return read(cmd, f"prints `{cmd.program}` usage")
    tags = set()
    # `find ROOT -exec chmod … {} +` reaches everything under ROOT, like `chmod -R`
    if _recursive(flags) or any("find-exec" in i.tags for i in infos):
        tags.add("recursive")
    if world:
        tags.add("world-writable")
    if "--no-preserve-root" in flags:
        tags.add("no-preserve-root")
    how = " recursively" if "recursive" in tags else ""
    summary = f"changes {_WHAT.get(action, action)} of {names(infos)}{how}"
    return [op(cmd, action, Effect.WRITE, infos, tags, summary)]


def chattr(cmd: Command, ctx: Context) -> list[Operation]:
    flags: set[str] = set()
    words: list[str] = []
    skip = False
    for a in cmd.args:
        if skip:
            skip = False
        elif a.startswith("-") and len(a) > 1 and set(a[1:]) <= set("RVfvp"):
            flags.update("-" + ch for ch in a[1:])
            skip = a[-1] in "vp"
        elif not a.startswith(("+", "-", "=")):
            words.append(a)
    return _perm(cmd, "chattr", flags, words)


def setfacl(cmd: Command, ctx: Context) -> list[Operation]:
    flags, _values, pos = _split(cmd.args, mode_first=False)
    words = [w for w in pos if ":" not in w]
    return _perm(cmd, "setfacl", flags, words)


HANDLERS = {
    "chmod": chmod,
    "chown": chown,
    "chgrp": chown,
    "chattr": chattr,
    "setfacl": setfacl,
}
