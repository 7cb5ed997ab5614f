"""Virtual machines and system containers: vagrant, virsh, multipass, lxc/incus, limactl,
colima.

Deleting a machine (`vagrant destroy`, `virsh undefine`, `multipass delete --purge`,
`lxc delete`) is a `destroy` of a `vm` target; `virsh destroy` pulls a VM's power cord and is
treated as one too. Remote hypervisors (`virsh -c qemu+ssh://host/system`, `lxc … remote:name`)
scope their targets by host. Inner commands of `lxc exec`/`multipass exec`/`vagrant ssh -c` go
back to the shell analyzer with the machine as the host.
"""

from __future__ import annotations

import shlex
from dataclasses import replace

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    dynamic_tags,
    first_positional,
    make_op,
    names,
    read_op,
    target,
    unknown_op,
    wants_help,
    words,
)

R, W, D = Effect.READ, Effect.WRITE, Effect.DESTROY
_READ_WORDS = words(
    "list ls info status global-status ssh-config version validate port find networks get "
    "aliases dominfo dumpxml domstate domblklist domiflist net-list pool-list vol-list "
    "nodeinfo capabilities snapshot-list uri hostname sysinfo domstats vcpuinfo dommemstat "
    "domblkinfo net-info net-dumpxml pool-info vol-info show config-show help query "
    "outdated domifaddr domifstat domblkstat domjobinfo domhostname domuuid domname domid "
    "domcontrol domdisplay vncdisplay net-dhcp-leases pool-dumpxml vol-dumpxml snapshot-info "
    "snapshot-dumpxml iface-list nodedev-list nodedev-dumpxml freecell nodememstats "
    "nodecpustats secret-list nwfilter-list domfsinfo guestinfo domcapabilities vol-path "
    "net-port-list maxvcpus iothreadinfo cpu-models list-vms"
)
_DESTROY_WORDS = words(
    "destroy undefine delete rm remove purge vol-delete vol-wipe pool-delete net-undefine "
    "snapshot-delete snapshot-revert prune"
)
_WRITE_WORDS = words(
    "suspend shutdown halt stop reboot restart start up launch init create define resume reload "
    "provision recover mount umount unmount transfer set copy move rename publish pause edit "
    "setmem setvcpus autostart snapshot-create-as snapshot-create managedsave restore "
    "attach-disk detach-disk attach-device detach-device net-start net-destroy pool-start "
    "pool-destroy clone snapshot package file push pull"
)
_EXEC_WORDS = frozenset({"exec", "shell", "ssh", "console"})


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if wants_help(cmd.args):
        return [read_op(cmd, HOST, summary=f"shows {cmd.program} help")]
    args = list(cmd.args)
    host = None
    if cmd.program == "virsh":
        args, host = _virsh_connect(cmd, args)
    verb, rest = first_positional([a for a in args if a not in ("-f", "--force", "-q")])
    force = any(a in ("-f", "--force") for a in args)
    if verb is None:
        return [read_op(cmd, HOST, "help", f"shows {cmd.program} help")]
    if cmd.program in ("lxc", "incus", "multipass", "vagrant", "limactl") and rest[:1] and verb in (
        "snapshot", "box", "storage", "network", "image", "config", "remote", "profile", "project",
        "plugin"
    ):  # fmt: skip
        return [_sub(cmd, verb, rest, host, force)]
    return _machine(cmd, ctx, verb, rest, host, force)


def _virsh_connect(cmd: Command, args: list[str]) -> tuple[list[str], str | None]:
    uri = cmd.getenv("LIBVIRT_DEFAULT_URI")
    out: list[str] = []
    skip = False
    for i, a in enumerate(args):
        if skip:
            skip = False
            continue
        if a in ("-c", "--connect") and i + 1 < len(args):
            uri, skip = args[i + 1], True
        elif a.startswith("--connect="):
            uri = a.partition("=")[2]
        else:
            out.append(a)
    host = None
    if uri and "://" in uri:
        host = uri.split("://", 1)[1].split("/", 1)[0].split("@", 1)[-1].split(":", 1)[0] or None
    return out, host


def _vm_target(cmd: Command, name: str, host: str | None):  # type: ignore[no-untyped-def]
    remote, sep, inst = name.partition(":")
    if sep and cmd.program in ("lxc", "incus") and remote:
        return target(cmd, "vm", inst or name, host=host or remote)
    return target(cmd, "vm", name, host=host)


def _machine(
    cmd: Command, ctx: Context, verb: str, rest: list[str], host: str | None, force: bool
) -> list[Operation]:
    pos = [a for a in rest if not a.startswith("-")]
    if verb in _READ_WORDS:
        return [read_op(cmd, HOST, verb, f"{cmd.program} {verb}")]
    tags = set(dynamic_tags(cmd)) | ({"force"} if force else set())
    purge = any(
        a in ("--purge", "-p", "--remove-all-storage", "--storage", "--wipe-storage") for a in rest
    )
    if verb in _EXEC_WORDS:
        return _exec(cmd, ctx, verb, rest, pos, host)
    tgts = [_vm_target(cmd, p, host) for p in pos[:10]] or [
        target(
            cmd,
            "vm",
            "all machines" if verb != "destroy" or cmd.program != "vagrant" else "vagrant machines",
            host=host,
        )
    ]
    if verb in _DESTROY_WORDS:
        if cmd.program == "multipass" and verb == "delete" and not purge:
            return [
                make_op(
                    cmd, HOST, "delete", W, tgts, tags, f"deletes VM {names(pos)} (recoverable)"
                )
            ]
        if purge:
            tags.add("volumes")
        what = "powers off" if cmd.program == "virsh" and verb == "destroy" else "deletes"
        return [make_op(cmd, HOST, verb, D, tgts, tags, f"{what} VM {names(pos) or 'all'}")]
    if verb in _WRITE_WORDS:
        return [make_op(cmd, HOST, verb, W, tgts, tags, f"{cmd.program} {verb} {names(pos)}")]
    return [unknown_op(cmd, HOST, verb)]


def _exec(
    cmd: Command, ctx: Context, verb: str, rest: list[str], pos: list[str], host: str | None
) -> list[Operation]:
    if cmd.program == "vagrant" and "-c" in rest:
        cmd_at = rest.index("-c") + 1
        pos = [a for i, a in enumerate(rest) if not a.startswith("-") and i != cmd_at]
    name = pos[0] if pos else "default"
    tgts = [_vm_target(cmd, name, host)]
    op = make_op(cmd, HOST, "exec", W, tgts, summary=f"runs a command in VM `{name}`")
    inner: list[str] = []
    if "--" in rest:
        inner = rest[rest.index("--") + 1 :]
    elif cmd.program == "vagrant" and "-c" in rest and rest.index("-c") + 1 < len(rest):
        return [op, *_shell(ctx, cmd, rest[rest.index("-c") + 1], name)]
    elif cmd.program == "multipass" and verb == "exec" and len(pos) > 1:
        inner = rest[rest.index(pos[0]) + 1 :]
    return [op, *_shell(ctx, cmd, shlex.join(inner), name)] if inner else [op]


def _shell(ctx: Context, cmd: Command, text: str, name: str) -> list[Operation]:
    if ctx.depth >= 8:
        return []
    return ctx.shell(text, replace(cmd, host=cmd.host or name))


def _sub(cmd: Command, group: str, rest: list[str], host: str | None, force: bool) -> Operation:
    verb, args = first_positional(rest)
    pos = [a for a in args if not a.startswith("-")]
    kind = {"box": "image", "storage": "volume", "snapshot": "snapshot"}.get(group, group)
    tgts = [target(cmd, kind, p, host=host) for p in pos[:10]]
    if verb in ("list", "ls", "show", "info", "get", "outdated") or verb is None:
        return read_op(cmd, HOST, "list", f"{cmd.program} {group} {verb or ''}".strip())
    tags = {"force"} if force else set()
    if verb in ("delete", "rm", "remove", "prune", "restore"):
        return make_op(
            cmd,
            HOST,
            "delete" if verb != "restore" else "restore",
            D,
            tgts,
            tags,
            f"{verb}s {group} {names(pos)}",
        )
    return make_op(cmd, HOST, verb, W, tgts, tags, f"{cmd.program} {group} {verb} {names(pos)}")
