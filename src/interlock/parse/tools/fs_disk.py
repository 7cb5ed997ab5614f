"""Disks and volumes: dd, mkfs, wipefs, partitioners, cryptsetup, LVM, losetup, mount."""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import (
    PathInfo,
    classify,
    names,
    op,
    read,
    scan,
    words,
    written,
)

_USAGE = words("--help -h --version -V -?")


def _usage(cmd: Command) -> bool:
    return any(a in _USAGE for a in cmd.args)


def _wipe(cmd: Command, action: str, targets: list[str], verb: str, tags=()) -> list[Operation]:  # type: ignore[no-untyped-def]
    infos = [classify(w, cmd) for w in targets]
    if not infos:
        return read(cmd, f"prints `{cmd.program}` usage")
    return [op(cmd, action, Effect.DESTROY, infos, set(tags), f"{verb} {names(infos)}")]


# -- dd ------------------------------------------------------------------------------------


def dd(cmd: Command, ctx: Context) -> list[Operation]:
    operands = dict(a.split("=", 1) for a in cmd.args if "=" in a)
    out = operands.get("of")
    if out is None or _usage(cmd):
        return read(cmd, "copies data to standard output")
    info = classify(out, cmd)
    if info.harmless:
        return read(cmd, "reads data and discards it")
    if "dynamic-target" in info.tags:
        return [op(cmd, "overwrite", Effect.DESTROY, [info], summary=f"writes raw data to `{out}`")]
    info, effect = written(info, into=False)
    verb = "overwrites device" if info.kind == "device" else "writes"
    return [op(cmd, "overwrite", effect, [info], summary=f"{verb} `{info.name}` with raw data")]


# -- filesystems and signatures -------------------------------------------------------------

_MKFS_VALUES = "tLbNmOETUIiCGglodrncpsFSv"


def _device_words(args: tuple[str, ...]) -> list[str]:
    """Device arguments of a formatting tool: /dev paths first, else the first path-like word."""
    devs = [a for a in args if a.startswith("/dev/") or "$" in a]
    if devs:
        return devs[:1]
    pos = [a for a in args if not a.startswith("-")]
    paths = [a for a in pos if not a.replace(",", "").replace("=", "").isalnum() or "." in a]
    return (paths or pos)[-1:]


def mkfs(cmd: Command, ctx: Context) -> list[Operation]:
    if _usage(cmd):
        return read(cmd, "prints `mkfs` usage")
    dry = any(a in ("-n", "-N", "--dry-run", "--noaction") for a in cmd.args)
    if dry and cmd.program.startswith(("mke2fs", "mkfs.ext", "mkfs.xfs")):
        return [op(cmd, "format", Effect.READ, tags={"dry-run"}, summary="previews a format")]
    return _wipe(cmd, "format", _device_words(cmd.args), "formats (erases)")


def wipefs(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--all", "--no-act", "--force", "--backup", "--help"),
        "otp",
        ("--offset", "--types"),
    )
    if not s.has("-a", "--all", "-o", "--offset") or s.has("-n", "--no-act", "--help"):
        return read(cmd, "lists filesystem signatures")
    return _wipe(cmd, "wipe", s.pos, "erases filesystem signatures on")


def blkdiscard(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help",), "olp", ("--offset", "--length", "--step"))
    if s.has("--help", "-h"):
        return read(cmd, "prints `blkdiscard` usage")
    return _wipe(cmd, "discard", s.pos, "discards every block on")


def badblocks(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, (), "bcdeiopt", ())
    if not s.has("-w"):
        return read(cmd, "scans a disk for bad blocks")
    return _wipe(cmd, "wipe", s.pos[:1], "overwrites every block on")


# -- partition tables -----------------------------------------------------------------------

_PART_READS = words(
    "-l --list -x --list-details -J --json -g --show-geometry -F --list-free -V --verify "
    "-p --print -i --info -v -L --list-types -O --print-mbr -r --show-size --help -h "
    "--version -b --backup --dump --no-act --getsz"
)
_PART_READS_BY_PROGRAM = {
    "sfdisk": words("-d -s -n"),
    "fdisk": words("-s"),
}


def partition(cmd: Command, ctx: Context) -> list[Operation]:
    """fdisk, sfdisk, gdisk, cfdisk, sgdisk: listing is a read; anything else rewrites a table."""
    flags = [a.partition("=")[0] for a in cmd.args if a.startswith("-")]
    reads = _PART_READS | _PART_READS_BY_PROGRAM.get(cmd.program, frozenset())
    if flags and all(f in reads for f in flags):
        return read(cmd, "shows a partition table")
    if not cmd.args:
        return read(cmd, f"prints `{cmd.program}` usage")
    return _wipe(cmd, "partition", _device_words(cmd.args), "rewrites the partition table of")


_PARTED_READS = words("print p help version unit align-check quit")


def parted(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--list", "--script", "--machine", "--help", "--version", "--fix"),
        "a",
        ("--align",),
    )
    if s.has("-l", "--list", "-h", "--help", "-v", "--version") or not s.pos:
        return read(cmd, "lists partitions")
    device, commands = s.pos[0], s.pos[1:]
    if commands and commands[0] in _PARTED_READS:
        return read(cmd, f"shows the partition table of `{device}`")
    return _wipe(cmd, "partition", [device], "rewrites the partition table of")


# -- cryptsetup, LVM, RAID -----------------------------------------------------------------

_LUKS_DESTROY = words(
    "luksFormat erase luksErase luksKillSlot luksRemoveKey luksHeaderRestore reencrypt "
    "convert repair"
)
_LUKS_READ = words(
    "status luksDump isLuks luksUUID benchmark tcryptDump bitlkDump fvault2Dump "
    "luksHeaderBackup help"
)
_LUKS_VALUES = tuple(
    sorted(
        words(
            "--type --cipher --key-size --hash --key-file --key-slot --iter-time --header "
            "--pbkdf --label --subsystem --sector-size --offset --skip --size --uuid "
            "--keyfile-size --keyfile-offset --master-key-file --volume-key-file --tries "
            "--timeout --header-backup-file"
        )
    )
)


def cryptsetup(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--help", "--version", "--batch-mode", "--verbose"),
        "cshdSiopbTtl",
        _LUKS_VALUES,
    )
    verb = s.pos[0] if s.pos else ""
    if not verb or verb in _LUKS_READ or s.has("--help", "--version"):
        return read(cmd, "inspects an encrypted volume")
    if verb in ("luksKillSlot", "luksRemoveKey"):
        infos = [_volume(classify(w, cmd)) for w in s.pos[1:2]]
        return [
            op(
                cmd,
                "remove-key",
                Effect.DESTROY,
                infos,
                summary=f"removes a key from {names(infos)}",
            )
        ]
    if verb in _LUKS_DESTROY:
        return _wipe(cmd, verb.lower(), s.pos[1:2], f"runs `cryptsetup {verb}` on")
    infos = [classify(w, cmd) for w in s.pos[1:2]]
    return [op(cmd, verb.lower(), Effect.WRITE, infos, summary=f"runs `cryptsetup {verb}`")]


def _volume(info: PathInfo) -> PathInfo:
    """A key slot is not the data: rules about wiping devices do not apply."""
    return replace(info, kind="encrypted-volume", tags=info.tags - {"block-device"})


def lvm_remove(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--force", "--yes", "--test", "--help"), "S", ("--select", "--config"))
    if s.has("-t", "--test", "--help", "-h") or not s.pos:
        return [
            op(cmd, "remove-volume", Effect.READ, tags={"dry-run"}, summary="tests an LVM removal")
        ]
    if cmd.program.startswith("pv"):
        return _wipe(cmd, "remove-volume", s.pos, "erases the LVM label on")
    infos = [PathInfo(w, kind="volume") for w in s.pos]
    tags = {"force"} if s.has("-f", "--force") else set()
    return [op(cmd, "remove-volume", Effect.DESTROY, infos, tags, f"deletes volume {names(infos)}")]


def mdadm(cmd: Command, ctx: Context) -> list[Operation]:
    if "--zero-superblock" in cmd.args or "--create" in cmd.args or "-C" in cmd.args:
        devs = [a for a in cmd.args if a.startswith("/dev/")]
        return _wipe(
            cmd,
            "wipe",
            devs[1:] if "--zero-superblock" not in cmd.args else devs,
            "erases RAID metadata on",
        )
    if any(a in ("--detail", "-D", "--examine", "-E", "--query", "-Q", "--help") for a in cmd.args):
        return read(cmd, "inspects a RAID array")
    return [op(cmd, "raid", Effect.WRITE, summary="changes a RAID array")]


def disk_tool(cmd: Command, ctx: Context) -> list[Operation]:
    """nvme format/sanitize and hdparm secure-erase wipe the whole device."""
    destroy = (
        "format",
        "sanitize",
        "--security-erase",
        "--security-erase-enhanced",
        "--trim-sector-ranges",
        "--write-sector",
    )
    if any(a in destroy for a in cmd.args):
        devs = [a for a in cmd.args if a.startswith("/dev/")]
        return _wipe(cmd, "wipe", devs[:1] or ["/dev/unknown"], "securely erases")
    if cmd.program == "hdparm" and any(
        a.startswith("-") and a[1:2] in "BSWMAaKmcdu" and len(a) == 2 for a in cmd.args
    ):
        return [op(cmd, "tune-disk", Effect.WRITE, summary="changes disk settings")]
    return read(cmd, "inspects a disk")


# -- mounts and loop devices ---------------------------------------------------------------


def mount(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--all", "--list", "--help", "--version", "--lazy", "--force"),
        "tOoLUT",
        ("--types", "--options", "--target", "--source"),
    )
    if s.has("-h", "--help", "-V", "--version") or (
        cmd.program == "mount" and ((not s.pos and not s.has("-a", "--all")) or s.has("--list"))
    ):
        return read(cmd, "lists mounts")
    infos = [_mount_point(classify(w, cmd)) for w in s.pos[-1:]]
    if cmd.program == "umount" and s.has("-a", "--all"):
        infos = [i.retag(i.tags | {"all"}) for i in infos] or [classify("/", cmd).retag({"all"})]
    verb = {"mount": "mounts", "umount": "unmounts", "swapoff": "disables swap on"}[cmd.program]
    return [
        op(cmd, cmd.program, Effect.WRITE, infos, summary=f"{verb} {names(infos) or 'everything'}")
    ]


def _mount_point(info: PathInfo) -> PathInfo:
    """A mount point is not deleted, so the path tags go; but mounting over or unmounting `/`,
    an OS directory or a database's directory takes what the system runs on away."""
    tags = info.tags - {"system-path", "root-path", "home-path", "system-file"}
    vital = info.tags & {"root-path", "data-dir", "data-file"} or (
        "system-path" in info.tags and info.name not in _SCRATCH_MOUNTS
    )
    return info.retag(tags | {"system-mount"} if vital else tags)


_SCRATCH_MOUNTS = frozenset({"/mnt", "/media", "/Volumes", "/tmp", "/var/tmp", "/run", "/dev"})


def losetup(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        ("--all", "--list", "--detach", "--detach-all", "--find", "--show", "--help"),
        "jo",
        ("--associated", "--offset", "--sizelimit"),
    )
    if not s.pos and not s.has("-d", "-D", "--detach", "--detach-all", "-f", "--find"):
        return read(cmd, "lists loop devices")
    if s.has("-a", "--all", "-l", "--list", "-j", "--associated", "--help") and not s.has(
        "-d", "-D"
    ):
        return read(cmd, "lists loop devices")
    return [op(cmd, "loop", Effect.WRITE, summary="attaches or detaches a loop device")]


HANDLERS = {
    "dd": dd,
    "mkfs": mkfs,
    "mke2fs": mkfs,
    "mkswap": mkfs,
    "mkdosfs": mkfs,
    "mkntfs": mkfs,
    "newfs": mkfs,
    "wipefs": wipefs,
    "blkdiscard": blkdiscard,
    "badblocks": badblocks,
    "fdisk": partition,
    "sfdisk": partition,
    "cfdisk": partition,
    "gdisk": partition,
    "sgdisk": partition,
    "parted": parted,
    "cryptsetup": cryptsetup,
    "lvremove": lvm_remove,
    "vgremove": lvm_remove,
    "pvremove": lvm_remove,
    "mdadm": mdadm,
    "nvme": disk_tool,
    "hdparm": disk_tool,
    "mount": mount,
    "umount": mount,
    "swapoff": mount,
    "losetup": losetup,
}
