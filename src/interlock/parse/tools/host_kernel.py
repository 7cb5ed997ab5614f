"""Kernel, logs and machine settings: sysctl, modprobe/rmmod/insmod, journalctl, dmesg,
hostnamectl, timedatectl, swapon, loginctl, launchctl, and boot-time service switches
(update-rc.d, chkconfig, rc-update).

Vacuuming the journal or clearing the kernel ring buffer deletes logs (`destroy`).
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    first_positional,
    make_op,
    names,
    read_op,
    target,
    unknown_op,
    wants_help,
    words,
)

_JOURNAL_DESTROY = ("--vacuum-size", "--vacuum-time", "--vacuum-files")
_JOURNAL_WRITE = ("--rotate", "--flush", "--sync", "--relinquish-var", "--smart-relinquish-var",
                  "--setup-keys", "--update-catalog")  # fmt: skip
_CTL_TV = words("-H --host -M --machine -p --property -o --output")
_HOSTNAMECTL_READ = frozenset({"status", "show", "hostname", "icon-name", "chassis",
                               "deployment", "location"})  # fmt: skip
_TIMEDATECTL_READ = frozenset({"status", "show", "list-timezones", "timesync-status",
                               "show-timesync"})  # fmt: skip
_LOGINCTL_READ = words(
    "list-sessions list-users list-seats session-status show-session user-status show-user "
    "seat-status show-seat"
)
# programs that only show state
_SHOW_ONLY = frozenset({"modinfo", "lsmod", "runlevel", "systemd-cgls", "systemd-cgtop"})
_LAUNCHCTL_READ = words(
    "list print print-cache print-disabled blame procinfo hostinfo resolveport examine "
    "managerpid manageruid managername error variant version help getenv dumpstate "
    "dumpjpcategory"
)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if wants_help(cmd.args) or cmd.program in _SHOW_ONLY:
        return [read_op(cmd, HOST, summary=f"reads with {cmd.program}")]
    if cmd.program == "depmod":
        return [_depmod(cmd)]
    handler = {
        "sysctl": _sysctl, "modprobe": _modprobe, "rmmod": _modprobe, "insmod": _modprobe,
        "journalctl": _journalctl, "dmesg": _dmesg, "hostnamectl": _hostnamectl,
        "timedatectl": _timedatectl, "swapon": _swapon, "loginctl": _loginctl,
        "launchctl": _launchctl,
    }.get(cmd.program, _bootswitch)  # fmt: skip
    return [handler(cmd)]


def _depmod(cmd: Command) -> Operation:
    if {"-n", "--show", "--dry-run"} & set(cmd.args):
        return read_op(cmd, HOST, "show", "prints module dependencies")
    return make_op(cmd, HOST, "rebuild", Effect.WRITE, summary="rebuilds module dependency files")


def _sysctl(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("--pattern", "-r"), bundle=True)
    sets = [p for p in a.pos if "=" in p]
    if a.has("-p", "--load", "--system", "-f"):
        return make_op(
            cmd,
            HOST,
            "load",
            Effect.WRITE,
            [target(cmd, "sysctl", "settings")],
            summary="loads kernel settings",
        )
    if sets or a.has("-w", "--write"):
        keys = [p.split("=", 1)[0] for p in sets] or a.pos
        tgts = [target(cmd, "sysctl", k) for k in keys[:10]]
        return make_op(
            cmd, HOST, "set", Effect.WRITE, tgts, summary=f"sets kernel parameter {names(keys)}"
        )
    return read_op(cmd, HOST, "show", f"reads kernel parameters {names(a.pos)}".strip())


def _modprobe(cmd: Command) -> Operation:
    a = parse_args(
        cmd.args, ("-C", "--config", "-d", "--dirname", "-S", "--set-version"), bundle=True
    )
    mods = a.pos[:1] if cmd.program != "rmmod" else a.pos
    if cmd.program == "modprobe" and a.has(
        "-n",
        "--dry-run",
        "--show",
        "-c",
        "--showconfig",
        "-D",
        "--show-depends",
        "--show-modversions",
        "--dump-modversions",
    ):
        return read_op(cmd, HOST, "show", f"shows module {names(mods)}".strip())
    tgts = [target(cmd, "kernel-module", m) for m in mods[:10]]
    tags = {"force"} if a.has("-f", "--force") else set()
    if cmd.program == "rmmod" or a.has("-r", "--remove"):
        mods = a.pos if a.has("-r", "--remove") else mods
        return make_op(
            cmd, HOST, "unload", Effect.WRITE, tgts, tags, f"unloads kernel module {names(mods)}"
        )
    return make_op(
        cmd, HOST, "load", Effect.WRITE, tgts, tags, f"loads kernel module {names(mods)}"
    )


def _journalctl(cmd: Command) -> Operation:
    args = cmd.args
    flags = {a.partition("=")[0] for a in args if a.startswith("--")}
    journal = [target(cmd, "journal", "systemd journal")]
    if flags & set(_JOURNAL_DESTROY):
        return make_op(
            cmd, HOST, "vacuum", Effect.DESTROY, journal, summary="deletes archived journal files"
        )
    if flags & set(_JOURNAL_WRITE):
        act = sorted(flags & set(_JOURNAL_WRITE))[0].lstrip("-")
        return make_op(cmd, HOST, act, Effect.WRITE, journal, summary=f"journal {act}")
    return read_op(cmd, HOST, "read", "reads the journal")


def _dmesg(cmd: Command) -> Operation:
    a = parse_args(
        cmd.args,
        ("-n", "--console-level", "-f", "--facility", "-l", "--level", "-F", "--file"),
        bundle=True,
    )
    if a.has("-c", "-C", "--clear", "--read-clear"):
        t = [target(cmd, "kernel-log", "ring buffer")]
        return make_op(
            cmd, HOST, "clear", Effect.DESTROY, t, summary="clears the kernel ring buffer"
        )
    if a.has("-n", "--console-level", "-D", "--console-off", "-E", "--console-on"):
        return make_op(cmd, HOST, "set", Effect.WRITE, summary="changes console logging")
    return read_op(cmd, HOST, "read", "reads the kernel log")


def _ctl(cmd: Command, reads: frozenset[str], default: str, what: str) -> Operation:
    a = parse_args(cmd.args, _CTL_TV, bundle=True)
    verb = a.pos[0] if a.pos else default
    host = a.value("-H", "--host", "-M", "--machine")
    host = host.split("@", 1)[-1] if host else None
    if verb in reads or (verb == "hostname" and len(a.pos) == 1):
        return read_op(cmd, HOST, verb, f"shows {what}")
    t = [target(cmd, what, a.pos[1] if len(a.pos) > 1 else what, host=host)]
    return make_op(cmd, HOST, verb, Effect.WRITE, t, summary=f"{verb} {names(a.pos[1:])}".strip())


def _hostnamectl(cmd: Command) -> Operation:
    return _ctl(cmd, _HOSTNAMECTL_READ, "status", "hostname")


def _timedatectl(cmd: Command) -> Operation:
    return _ctl(cmd, _TIMEDATECTL_READ, "status", "clock")


def _loginctl(cmd: Command) -> Operation:
    op = _ctl(cmd, _LOGINCTL_READ, "list-sessions", "session")
    if op.effect is Effect.WRITE and op.action in ("poweroff", "reboot"):
        from interlock.parse.tools.host_system import power_op

        return power_op(cmd, op.action)
    return op


def _swapon(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("-p", "--priority", "-o", "--options", "--output"), bundle=True)
    if not a.pos and not a.has("-a", "--all"):
        return read_op(cmd, HOST, "show", "shows swap")
    return make_op(
        cmd, HOST, "enable", Effect.WRITE, summary=f"enables swap {names(a.pos)}".strip()
    )


def _launchctl(cmd: Command) -> Operation:
    verb, rest = first_positional(cmd.args)
    if verb is None or verb in _LAUNCHCTL_READ or (verb == "limit" and len(rest) <= 1):
        return read_op(cmd, HOST, verb or "list", "reads launchd state")
    if verb == "reboot":
        from interlock.parse.tools.host_system import power_op

        return power_op(cmd, "reboot")
    svc = [x for x in rest if not x.startswith("-")]
    tgts = [target(cmd, "service", s) for s in svc[:5]]
    return make_op(cmd, HOST, verb, Effect.WRITE, tgts, summary=f"launchctl {verb} {names(svc)}")


def _bootswitch(cmd: Command) -> Operation:
    """update-rc.d NAME remove|disable, chkconfig NAME off, rc-update del NAME."""
    pos = [x for x in cmd.args if not x.startswith("-")]
    if not pos or "--list" in cmd.args or pos[0] in ("show", "list"):
        return read_op(cmd, HOST, "list", "lists boot services")
    if cmd.program not in ("update-rc.d", "chkconfig", "rc-update"):
        return unknown_op(cmd, HOST)
    svc = pos[1] if cmd.program == "rc-update" and len(pos) > 1 else pos[0]
    verb = pos[0] if cmd.program == "rc-update" else (pos[1] if len(pos) > 1 else "status")
    if verb == "status":
        return read_op(cmd, HOST, "status", f"shows boot status of `{svc}`")
    from interlock.parse.tools.host_system import is_critical

    # `update-rc.d ssh remove`, `chkconfig sshd off`: the service is gone after the next boot
    off = verb in ("remove", "disable", "off", "del", "delete")
    tags = {"critical-service"} if off and is_critical(svc) else set()
    return make_op(
        cmd,
        HOST,
        verb,
        Effect.WRITE,
        [target(cmd, "service", svc)],
        tags,
        summary=f"{verb} `{svc}` at boot",
    )
