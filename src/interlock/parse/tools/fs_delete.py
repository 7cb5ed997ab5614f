"""Deleting files: rm, rmdir, unlink, shred/srm/wipe, find -delete, truncate, trash."""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context, fs_find
from interlock.parse.tools.fs_paths import PathInfo, classify, names, op, read, scan

_RM_LONGS = (
    "--recursive",
    "--force",
    "--dir",
    "--interactive",
    "--verbose",
    "--one-file-system",
    "--no-preserve-root",
    "--preserve-root",
    "--help",
    "--version",
)


def _delete_tags(s_flags: set[str], recursive: bool, force: bool) -> set[str]:
    tags = set()
    if recursive:
        tags.add("recursive")
    if force:
        tags.add("force")
    if "--no-preserve-root" in s_flags:
        tags.add("no-preserve-root")
    return tags


def _paths(cmd: Command, words: list[str]) -> list[PathInfo]:
    return [classify(w, cmd) for w in words]


def rm(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, _RM_LONGS)
    if s.has("--help", "--version") or not s.pos:
        return read(cmd, "prints `rm` usage")
    recursive = s.has("-r", "-R", "--recursive")
    tags = _delete_tags(s.flags, recursive, s.has("-f", "--force"))
    infos = _paths(cmd, s.pos)
    how = " recursively" if recursive else ""
    return [op(cmd, "delete", Effect.DESTROY, infos, tags, f"deletes {names(infos)}{how}")]


def rmdir(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--parents", "--ignore-fail-on-non-empty", "--verbose", "--help"))
    if s.has("--help") or not s.pos:
        return read(cmd, "prints `rmdir` usage")
    infos = _paths(cmd, s.pos)
    return [op(cmd, "rmdir", Effect.WRITE, infos, summary=f"removes empty {names(infos)}")]


def unlink(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help", "--version"))
    if s.has("--help", "--version") or not s.pos:
        return read(cmd, "prints `unlink` usage")
    infos = _paths(cmd, s.pos[:1])
    return [op(cmd, "delete", Effect.DESTROY, infos, summary=f"deletes {names(infos)}")]


def shred(cmd: Command, ctx: Context) -> list[Operation]:
    """shred, srm and wipe overwrite data so it cannot be recovered."""
    s = scan(
        cmd.args,
        ("--remove", "--force", "--zero", "--exact", "--verbose", "--recursive", "--help"),
        short_values="ns" if cmd.program == "shred" else "",
        long_values=("--iterations", "--size", "--random-source"),
    )
    if s.has("--help") or not s.pos:
        return read(cmd, f"prints `{cmd.program}` usage")
    recursive = cmd.program != "shred" and s.has("-r", "-R", "--recursive")
    tags = _delete_tags(s.flags, recursive, s.has("-f", "--force"))
    infos = _paths(cmd, s.pos)
    return [op(cmd, "shred", Effect.DESTROY, infos, tags, f"irrecoverably erases {names(infos)}")]


def trash(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help", "--version"))
    if s.has("--help", "--version") or not s.pos:
        return read(cmd, "lists the trash")
    infos = _paths(cmd, s.pos)
    return [op(cmd, "trash", Effect.WRITE, infos, summary=f"moves {names(infos)} to the trash")]


def truncate(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--no-create", "--io-blocks", "--help", "--version"),
        short_values="sr",
        long_values=("--size", "--reference"),
    )
    if s.has("--help", "--version") or not s.pos:
        return read(cmd, "prints `truncate` usage")
    size = s.value("-s", "--size")
    infos = _paths(cmd, s.pos)
    if size is not None and _shrinks(size):
        return [op(cmd, "truncate", Effect.DESTROY, infos, summary=f"empties {names(infos)}")]
    return [op(cmd, "resize", Effect.WRITE, infos, summary=f"resizes {names(infos)}")]


def _shrinks(size: str) -> bool:
    if size[:1] in ("-", "<", "/"):
        return True
    digits = size.rstrip("KMGTPEZYkmgtpezyBbiI")
    return digits.isdigit() and int(digits) == 0


def fallocate(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--punch-hole", "--collapse-range", "--zero-range", "--insert-range", "--dig-holes"),
        short_values="olx",
        long_values=("--offset", "--length"),
    )
    if not s.pos:
        return read(cmd, "prints `fallocate` usage")
    infos = _paths(cmd, s.pos[-1:])
    drops = ("-p", "-c", "-z", "-d", "--punch-hole", "--collapse-range", "--zero-range")
    if s.has(*drops, "--dig-holes"):
        return [
            op(cmd, "overwrite", Effect.DESTROY, infos, summary=f"discards data in {names(infos)}")
        ]
    return [op(cmd, "allocate", Effect.WRITE, infos, summary=f"allocates {names(infos)}")]


# -- find ----------------------------------------------------------------------------------

_FIND_WRITES = frozenset({"-fprint", "-fprint0", "-fprintf", "-fls"})


def find(cmd: Command, ctx: Context) -> list[Operation]:
    """find is a read; `-delete` deletes under its start paths (the walker handles -exec)."""
    roots, expr = fs_find.split(cmd.args)
    ops: list[Operation] = []
    for j, word in enumerate(expr[:-1]):
        if word in _FIND_WRITES:
            info = classify(expr[j + 1], cmd)
            ops.append(op(cmd, "write", Effect.WRITE, [info], summary=f"writes `{info.name}`"))
    if "-delete" in expr:
        ops.insert(0, _find_delete(cmd, roots, expr))
    return ops or read(cmd, "searches files")


def _find_delete(cmd: Command, roots: list[str], expr: list[str]) -> Operation:
    filtered = fs_find.filtered(expr, frozenset())
    tags = {"recursive"}
    infos = [classify(r, cmd) for r in roots]
    if filtered:
        # only matching files go, and find never removes its start directory itself
        tags.add("filtered")
        inside = [classify(r.rstrip("/") + "/*", cmd) for r in roots]
        infos = [i.retag(i.tags - {"wildcard"}) for i in inside]
    what = "matching files" if filtered else "everything"
    return op(cmd, "delete", Effect.DESTROY, infos, tags, f"deletes {what} under {names(infos)}")


HANDLERS = {
    "rm": rm,
    "rmdir": rmdir,
    "unlink": unlink,
    "shred": shred,
    "srm": shred,
    "wipe": shred,
    "truncate": truncate,
    "fallocate": fallocate,
    "find": find,
    "trash": trash,
    "trash-put": trash,
    "rmtrash": trash,
}
