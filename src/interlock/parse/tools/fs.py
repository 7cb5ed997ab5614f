"""The filesystem family: deleting, overwriting, formatting, permissions, and plain reads.

`analyze` answers the operations of one command; `redirect_operation` answers what an output
redirection (`> file`, `>> file`, `&> file`) does, for the shell walker. Path semantics (what is
local, what is a system or home path) live in `fs_paths`; each tool group has its own module.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import (
    Context,
    fs_archive,
    fs_delete,
    fs_disk,
    fs_fsck,
    fs_misc,
    fs_perm,
    fs_volume,
    fs_write,
)
from interlock.parse.tools.fs_paths import FAMILY, classify, op, read, written

__all__ = ["analyze", "redirect_operation"]

_HANDLERS = {
    **fs_misc.HANDLERS,
    **fs_delete.HANDLERS,
    **fs_write.HANDLERS,
    **fs_perm.HANDLERS,
    **fs_archive.HANDLERS,
    **fs_disk.HANDLERS,
    **fs_volume.HANDLERS,
    **fs_fsck.HANDLERS,
}
_SILENT_DEVICES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/fd/")


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    program = cmd.program
    handler = _HANDLERS.get(program)
    if handler is None and program.startswith(("mkfs", "mke2fs", "newfs")):
        handler = fs_disk.mkfs
    elif handler is None and program.startswith("fsck."):
        handler = fs_fsck.fsck
    if program == "dmesg":  # `dmesg -C` clears the kernel log: the host analyzer knows
        from interlock.parse.tools import host

        return [replace(o, family=FAMILY) for o in host.analyze(cmd, ctx)]
    if handler is None:
        if program in fs_misc.READS:
            return read(cmd)
        return [op(cmd, "run", Effect.UNKNOWN, summary=f"runs `{program}`")]
    try:
        return handler(cmd, ctx) or read(cmd)
    except Exception:  # an analyzer never raises: unknown input is treated as dangerous
        return [
            op(
                cmd,
                "run",
                Effect.DESTROY,
                tags={"parse-error"},
                summary=f"`{program}` could not be understood",
            )
        ]


def redirect_operation(operator: str, path: str, cmd: Command) -> Operation | None:
    """What writing a redirection's output to `path` does (None when it goes nowhere that lasts).

    `>` truncates: replacing an important file (or writing a raw device) destroys it; `>>`
    appends. Duplications (`>&2`, `2>&1`) and the terminal or `/dev/null` answer None.
    """
    if operator.startswith("<") and operator != "<>":
        return None
    word = path.strip("\"'")
    if (
        not word
        or word.startswith("&")
        or word.isdigit()
        or word == "-"
        or word.startswith(_SILENT_DEVICES)
    ):
        return None
    if word.startswith(("/dev/tcp/", "/dev/udp/")):
        return _socket(word, cmd)
    info = classify(word, cmd)
    if info.harmless:
        return None
    append = ">>" in operator or operator == "<>"
    info, effect = written(info, clobber=not append, into=False)
    action = "append" if append else ("overwrite" if effect is Effect.DESTROY else "write")
    verb = {"append": "appends to", "overwrite": "overwrites", "write": "writes"}[action]
    return op(cmd, action, effect, [info], {"redirect"}, f"{verb} `{info.name}`")


def _socket(word: str, cmd: Command) -> Operation:
    parts = word.split("/")
    host = parts[3] if len(parts) > 3 else "unknown"
    port = parts[4] if len(parts) > 4 else ""
    target = Target.make("socket", f"{host}:{port}", host=host)
    return Operation(
        family=FAMILY,
        action="connect",
        effect=Effect.UNKNOWN,
        program=cmd.program,
        targets=(target,),
        tags=frozenset({"network", "redirect"}),
        summary=f"opens a network connection to `{host}:{port}`",
        text=cmd.text,
        via=cmd.via,
    )
