"""Pools, datasets and volumes: zpool, zfs, btrfs, diskutil."""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import PathInfo, classify, names, op, read, words

_ZPOOL_READ = words("status list iostat get history events version help wait")
_ZPOOL_VDEV_TYPES = words("mirror raidz raidz1 raidz2 raidz3 draid spare log cache special dedup")
_ZFS_READ = words("list get diff holds userspace groupspace projectspace version help send")
_ZFS_DESTROY = words("destroy rollback")


def _positionals(args: tuple[str, ...], value_flags: str) -> list[str]:
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-") and len(a) > 1:
            skip = a[-1] in value_flags and len(a) == 2
        else:
            out.append(a)
    return out


def _dry(args: tuple[str, ...]) -> bool:
    return any(a.startswith("-") and not a.startswith("--") and "n" in a for a in args)


def zpool(cmd: Command, ctx: Context) -> list[Operation]:
    pos = _positionals(cmd.args[1:], "oOmRt")
    verb = cmd.args[0] if cmd.args else ""
    if verb in _ZPOOL_READ or not verb or (verb == "import" and not pos):
        return read(cmd, "inspects ZFS pools")
    if verb in ("destroy", "create", "labelclear") and _dry(cmd.args[1:]):
        return [op(cmd, verb, Effect.READ, tags={"dry-run"}, summary=f"previews `zpool {verb}`")]
    if verb == "destroy":
        pools = [PathInfo(p, kind="pool") for p in pos]
        return [op(cmd, "destroy", Effect.DESTROY, pools, summary=f"destroys pool {names(pools)}")]
    if verb in ("create", "labelclear"):
        devs = pos[1:] if verb == "create" else pos
        infos = [
            classify(d if "/" in d else "/dev/" + d, cmd)
            for d in devs
            if d not in _ZPOOL_VDEV_TYPES
        ]
        return [op(cmd, "format", Effect.DESTROY, infos, summary=f"erases {names(infos)} for ZFS")]
    return [
        op(
            cmd,
            verb,
            Effect.WRITE,
            [PathInfo(p, kind="pool") for p in pos[:1]],
            summary=f"runs `zpool {verb}`",
        )
    ]


def zfs(cmd: Command, ctx: Context) -> list[Operation]:
    verb = cmd.args[0] if cmd.args else ""
    pos = _positionals(cmd.args[1:], "otsSd")
    if not verb or verb in _ZFS_READ:
        return read(cmd, "inspects ZFS datasets")
    if verb in _ZFS_DESTROY or (verb in ("receive", "recv") and "-F" in cmd.args):
        return [_zfs_destroy(cmd, verb, pos)]
    infos = [PathInfo(p, kind="volume") for p in pos[-1:]]
    return [op(cmd, verb, Effect.WRITE, infos, summary=f"runs `zfs {verb}` on {names(infos)}")]


def _zfs_destroy(cmd: Command, verb: str, pos: list[str]) -> Operation:
    flags = "".join(a[1:] for a in cmd.args[1:] if a.startswith("-"))
    tags = {"recursive"} if "r" in flags or "R" in flags else set()
    if "f" in flags:
        tags.add("force")
    if any("@" in p or "#" in p for p in pos):
        tags.add("snapshot")
    if verb != "destroy":
        tags.add("rollback")
    infos = [PathInfo(p, kind="volume") for p in pos]
    if verb == "destroy" and "n" in flags:
        return op(cmd, verb, Effect.READ, infos, tags | {"dry-run"}, "previews `zfs destroy`")
    what = {"destroy": "destroys", "rollback": "rolls back (discarding later data)"}
    return op(
        cmd, verb, Effect.DESTROY, infos, tags, f"{what.get(verb, 'overwrites')} {names(infos)}"
    )


_BTRFS_READ = {
    "filesystem": words("show df du usage label"),
    "subvolume": words("list show get-default find-new"),
    "device": words("stats usage scan ready"),
    "scrub": words("status"),
    "balance": words("status"),
    "qgroup": words("show"),
    "property": words("get list"),
    "replace": words("status"),
    "inspect-internal": None,
    "version": None,
    "help": None,
}
_BTRFS_DESTROY = {
    ("subvolume", "delete"),
    ("rescue", "zero-log"),
    ("rescue", "chunk-recover"),
    ("rescue", "super-recover"),
}
_BTRFS_GROUPS = (*_BTRFS_READ, "rescue", "check", "send", "receive", "restore", "quota")


def _expand(word: str, choices) -> str:  # type: ignore[no-untyped-def]
    """btrfs accepts any unique prefix of a group or command."""
    matches = [c for c in choices if c.startswith(word)]
    return matches[0] if len(matches) == 1 or word in matches else word


def btrfs(cmd: Command, ctx: Context) -> list[Operation]:
    pos = [a for a in cmd.args if not a.startswith("-")]
    group = _expand(pos[0], _BTRFS_GROUPS) if pos else "help"
    reads = _BTRFS_READ.get(group, frozenset())
    sub = (
        _expand(pos[1], reads or ("delete", "zero-log", "chunk-recover", "super-recover"))
        if len(pos) > 1
        else ""
    )
    if group == "check" and "--repair" not in cmd.args:
        return read(cmd, "checks a btrfs filesystem")
    if reads is None or sub in (reads or ()) or group in ("send",):
        return read(cmd, "inspects btrfs")
    targets = [classify(p, cmd) for p in pos[2:]]
    if (group, sub) in _BTRFS_DESTROY or group == "check":
        return [
            op(
                cmd,
                f"{group}-{sub}".strip("-"),
                Effect.DESTROY,
                targets,
                summary=f"runs `btrfs {group} {sub}`",
            )
        ]
    return [
        op(
            cmd,
            f"{group}-{sub}".strip("-"),
            Effect.WRITE,
            targets,
            summary=f"runs `btrfs {group} {sub}`",
        )
    ]


_DISKUTIL_DESTROY = words(
    "eraseDisk eraseVolume reformat zeroDisk randomDisk secureErase partitionDisk "
    "splitPartition mergePartitions deleteVolume"
)
_DISKUTIL_READ = words("list info activity listFilesystems verifyVolume verifyDisk")


def diskutil(cmd: Command, ctx: Context) -> list[Operation]:
    pos = [a for a in cmd.args if not a.startswith("-")]
    verb = pos[0] if pos else "list"
    if verb in _DISKUTIL_READ or verb.startswith("list"):
        return read(cmd, "lists disks")
    if verb in _DISKUTIL_DESTROY or (
        verb.lower() in ("apfs", "cs", "ar") and len(pos) > 1 and "delete" in pos[1].lower()
    ):
        dev = next((p for p in pos[1:] if p.startswith(("disk", "/dev/"))), pos[-1])
        info = classify(dev if dev.startswith("/") else "/dev/" + dev, cmd)
        return [op(cmd, verb, Effect.DESTROY, [info], summary=f"erases `{info.name}`")]
    return [op(cmd, verb, Effect.WRITE, summary=f"runs `diskutil {verb}`")]


HANDLERS = {"zpool": zpool, "zfs": zfs, "btrfs": btrfs, "diskutil": diskutil}
