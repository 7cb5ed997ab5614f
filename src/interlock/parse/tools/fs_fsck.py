"""Checking, repairing, tuning and inspecting filesystems and disks: fsck and its per-filesystem
programs, xfs_repair, tune2fs, resize2fs, growpart, smartctl, dumpe2fs, lsscsi, fuser.

A check that only reports (`fsck -n`, `xfs_repair -n`, `e2fsck -n`) is a read. A repair may
throw away what it cannot fix (`xfs_repair -L` zeroes the log), so it destroys; tuning and
resizing change the filesystem but keep its data.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import PathInfo, classify, names, op, read, words

_USAGE = words("--help -h --version -V -?")
_NO_CHANGE = words("-n -N --dry-run --no-modify")
_FSCK_VALUES = words("-t -C -b -B -j -l -L -E -z -r")


def _devices(cmd: Command, values: frozenset[str] = frozenset()) -> list[PathInfo]:
    out: list[str] = []
    skip = False
    for a in cmd.args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in values
        else:
            out.append(a)
    return [_filesystem(classify(w, cmd)) for w in out[:1]]


def _filesystem(info: PathInfo) -> PathInfo:
    """The filesystem on a device, not its raw blocks: device-wipe rules do not apply."""
    return replace(info, kind="filesystem", tags=info.tags - {"block-device"})


def fsck(cmd: Command, ctx: Context) -> list[Operation]:
    if any(a in _USAGE for a in cmd.args) or not cmd.args:
        return read(cmd, f"prints `{cmd.program}` usage")
    infos = _devices(cmd, _FSCK_VALUES)
    if any(a in _NO_CHANGE for a in cmd.args) or _no_change_cluster(cmd):
        return [op(cmd, "check", Effect.READ, infos, {"dry-run"}, f"checks {names(infos)}")]
    tags = {"force"} if any(a in ("-L", "-y", "-a", "-p") for a in cmd.args) else set()
    summary = f"repairs {names(infos) or 'filesystems'} (may discard damaged data)"
    return [op(cmd, "repair", Effect.DESTROY, infos, tags, summary)]


def _no_change_cluster(cmd: Command) -> bool:
    """`e2fsck -fn`: a short-flag cluster holding `-n` and no answer-yes or auto-repair flag."""
    for a in cmd.args:
        if a.startswith("-") and not a.startswith("--") and "n" in a:
            return not set(a[1:]) & set("ypaL")
    return False


_TUNE_READS = words("-l")


def tune(cmd: Command, ctx: Context) -> list[Operation]:
    """tune2fs, resize2fs, xfs_growfs, growpart, xfs_admin: change a filesystem in place."""
    args = [a for a in cmd.args if a not in ("-f", "-d", "-p")]
    if any(a in _USAGE for a in args) or not args:
        return read(cmd, f"prints `{cmd.program}` usage")
    if cmd.program == "tune2fs" and all(a in _TUNE_READS for a in args if a.startswith("-")):
        return read(cmd, "shows filesystem settings")
    if cmd.program == "xfs_growfs" and "-n" in args:
        return read(cmd, "shows filesystem geometry")
    if cmd.program == "growpart" and any(a in ("-N", "--dry-run") for a in args):
        return [op(cmd, "resize", Effect.READ, tags={"dry-run"}, summary="previews a resize")]
    infos = [_filesystem(classify(w, cmd)) for w in args if not w.startswith("-")][:1]
    return [op(cmd, "tune", Effect.WRITE, infos, summary=f"changes the filesystem {names(infos)}")]


_SMART_WRITES = words("-t --test -s --smart -o --offlineauto -S --saveauto -X --abort")


def smartctl(cmd: Command, ctx: Context) -> list[Operation]:
    if any(a.split("=", 1)[0] in _SMART_WRITES for a in cmd.args):
        return [op(cmd, "tune-disk", Effect.WRITE, summary="starts a disk self-test or setting")]
    return read(cmd, "reads disk health")


def fuser(cmd: Command, ctx: Context) -> list[Operation]:
    kill = any(
        a in ("-k", "--kill") or (a.startswith("-") and not a.startswith("--") and "k" in a)
        for a in cmd.args
    )
    if kill:
        return [op(cmd, "kill", Effect.WRITE, summary="kills the processes using a file")]
    return read(cmd, "lists processes using a file")


HANDLERS = {
    "fsck": fsck,
    "e2fsck": fsck,
    "xfs_repair": fsck,
    "btrfsck": fsck,
    "dosfsck": fsck,
    "tune2fs": tune,
    "resize2fs": tune,
    "xfs_growfs": tune,
    "growpart": tune,
    "xfs_admin": tune,
    "smartctl": smartctl,
    "fuser": fuser,
    "dumpe2fs": lambda cmd, ctx: read(cmd, "prints filesystem metadata"),
    "xfs_info": lambda cmd, ctx: read(cmd, "prints filesystem geometry"),
    "lsscsi": lambda cmd, ctx: read(cmd, "lists SCSI devices"),
}
