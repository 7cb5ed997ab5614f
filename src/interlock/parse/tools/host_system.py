"""Services and power: systemctl, service, rc-service, shutdown/reboot/halt/poweroff, init.

Stopping, disabling, masking or killing a service is a `write` (it can be started again);
doing it to a service the machine cannot be reached or run without (sshd, networking, the
container engine, databases) adds the tag `critical-service`. Powering the machine off or
rebooting it is action `poweroff`/`reboot`/`halt`/`suspend`; switching to a rescue target is
`isolate`.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    dynamic_tags,
    make_op,
    names,
    read_op,
    target,
    unknown_op,
    wants_help,
    words,
)

CRITICAL_SERVICES = words(
    "ssh sshd openssh openssh-server networking network NetworkManager systemd-networkd "
    "systemd-resolved wpa_supplicant netplan docker containerd crio cri-o kubelet dbus "
    "dbus-broker systemd-journald systemd-logind firewalld ufw nftables iptables "
    "netfilter-persistent postgresql postgres mysql mysqld mariadb mongod mongodb redis "
    "redis-server etcd consul vault getty "
    "serial-getty"
)
_SYSTEMCTL_TV = words(
    "-H --host -M --machine -t --type --state -p --property -s --signal --kill-whom "
    "--kill-value -n --lines -o --output --root --image --job-mode --when --message "
    "--what --timestamp --boot-loader-entry --reboot-argument --preset-mode --check-inhibitors "
    "--drop-in --wait --legend"
)
_READ = words(
    "status show cat list-units list-unit-files list-sockets list-timers list-jobs "
    "list-dependencies list-machines list-automounts list-paths is-active is-enabled is-failed "
    "is-system-running get-default help show-environment whoami"
)
_STOP = frozenset({"stop", "disable", "mask", "kill", "freeze"})
_WRITE = words(
    "start restart reload try-restart reload-or-restart try-reload-or-restart condrestart "
    "force-reload enable reenable preset preset-all daemon-reload daemon-reexec set-property "
    "set-default revert edit link add-wants add-requires set-environment unset-environment "
    "import-environment reset-failed thaw bind mount-image unmask log-level log-target "
    "service-log-level service-log-target service-watchdogs default"
)
_POWER = {
    "poweroff": "poweroff", "reboot": "reboot", "halt": "halt", "kexec": "reboot",
    "soft-reboot": "reboot", "suspend": "suspend", "hibernate": "suspend",
    "hybrid-sleep": "suspend", "suspend-then-hibernate": "suspend", "sleep": "suspend",
}  # fmt: skip
_ISOLATE = frozenset({"isolate", "rescue", "emergency"})
_SERVICE_READ = frozenset({"status", "--status-all", "--full-restart-help", "help", "usage"})


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if prog == "systemctl":
        return [systemctl(cmd)]
    if prog in ("service", "rc-service"):
        return [_service(cmd)]
    if prog in ("init", "telinit"):
        return [_init(cmd)]
    return [_power(cmd)]


def is_critical(unit: str) -> bool:
    base = unit.rsplit("/", 1)[-1].split("@", 1)[0]
    for suffix in (".service", ".socket", ".target"):
        base = base.removesuffix(suffix)
    if "*" in base or "?" in base or "[" in base:
        return any(fnmatchcase(name, base) for name in CRITICAL_SERVICES)
    return base in CRITICAL_SERVICES or base.split("-", 1)[0] in ("postgresql", "mysql", "mariadb")


def power_op(cmd: Command, action: str, scope: str | None = None) -> Operation:
    host = scope or cmd.host
    t = Target.make("machine", host or "this machine", host=host)
    verb = {"poweroff": "powers off", "reboot": "reboots", "halt": "halts", "suspend": "suspends"}
    summary = f"{verb.get(action, action)} {'`' + host + '`' if host else 'the machine'}"
    return make_op(cmd, HOST, action, Effect.WRITE, [t], {"power"}, summary)


def systemctl(cmd: Command) -> Operation:
    a = parse_args(cmd.args, _SYSTEMCTL_TV, bundle=True)
    if wants_help(cmd.args) or a.has("-h"):
        return read_op(cmd, HOST, summary="shows systemctl help")
    host = a.value("-H", "--host", "-M", "--machine")
    host = host.split("@", 1)[-1] if host else None
    verb = a.pos[0] if a.pos else "list-units"
    units = a.pos[1:]
    if a.has("--dry-run") and verb in _POWER:
        return make_op(cmd, HOST, _POWER[verb], Effect.READ, tags={"dry-run"}, summary="dry run")
    if verb in _READ:
        return read_op(cmd, HOST, verb, f"systemctl {verb} {names(units)}".strip())
    if verb in _POWER:
        return power_op(cmd, _POWER[verb], host)
    if verb in _ISOLATE:
        what = units[0] if units else f"{verb}.target"
        return _unit_op(cmd, "isolate", [what], host, "switches the machine to")
    if verb == "set-default" and units and units[0].removesuffix(".target") in _ISOLATE:
        # the machine comes back in rescue mode after its next reboot: no network, no sshd
        return _unit_op(cmd, "isolate", units[:1], host, "boots the machine next time into")
    if verb in _STOP or (verb in ("disable", "mask") and a.has("--now")):
        return _unit_op(cmd, verb, units, host, f"{verb}s service")
    if verb == "clean":
        op = _unit_op(cmd, "clean", units, host, "deletes the state/cache/logs of")
        return make_op(cmd, HOST, "clean", Effect.DESTROY, op.targets, op.tags, op.summary)
    if verb in _WRITE:
        return _unit_op(cmd, verb, units, host, f"{verb} service")
    return unknown_op(cmd, HOST, verb)


def _unit_op(cmd: Command, action: str, units: list[str], host: str | None, what: str) -> Operation:
    tgts = [target(cmd, "service", u, host=host) for u in units[:20]]
    tags = set(dynamic_tags(cmd))
    if action in _STOP or action == "isolate":
        if any(is_critical(u) for u in units):
            tags.add("critical-service")
        if any("*" in u or "?" in u for u in units):
            tags.add("wildcard")
    where = f" on `{host or cmd.host}`" if (host or cmd.host) else ""
    return make_op(cmd, HOST, action, Effect.WRITE, tgts, tags, f"{what} {names(units)}{where}")


def _service(cmd: Command) -> Operation:
    args = [x for x in cmd.args if x not in ("-f", "--full-restart", "-q")]
    if not args or args[0] in _SERVICE_READ or wants_help(args):
        return read_op(cmd, HOST, summary="lists services")
    unit = args[0]
    verb = args[1] if len(args) > 1 else "status"
    if verb in _SERVICE_READ:
        return read_op(cmd, HOST, "status", f"shows service `{unit}`")
    if verb in ("stop", "disable", "zap", "kill"):
        return _unit_op(cmd, "stop", [unit], None, "stops service")
    return _unit_op(cmd, verb, [unit], None, f"{verb} service")


def _init(cmd: Command) -> Operation:
    level = cmd.args[0] if cmd.args else ""
    if not level or wants_help(cmd.args):
        return read_op(cmd, HOST, summary="shows init help")
    if level in ("0",):
        return power_op(cmd, "poweroff")
    if level == "6":
        return power_op(cmd, "reboot")
    if level in ("1", "s", "S", "single", "emergency"):
        return _unit_op(cmd, "isolate", ["rescue.target"], None, "switches the machine to")
    if level in ("q", "Q", "u", "U"):
        return make_op(cmd, HOST, "reload", Effect.WRITE, summary="reloads init")
    if level in ("2", "3", "4", "5"):
        return _unit_op(cmd, "runlevel", [f"runlevel {level}"], None, "switches to")
    return unknown_op(cmd, HOST, level)


def _power(cmd: Command) -> Operation:
    """shutdown, reboot, halt, poweroff, kexec."""
    prog, args = cmd.program, list(cmd.args)
    if wants_help(args) or "--show" in args:
        return read_op(cmd, HOST, summary=f"shows {prog} help")
    if prog == "kexec":
        if "-e" in args or "--exec" in args:
            return power_op(cmd, "reboot")
        return make_op(cmd, HOST, "load-kernel", Effect.WRITE, summary="loads a kernel for kexec")
    if prog == "shutdown":
        if "-c" in args:
            return make_op(cmd, HOST, "cancel", Effect.WRITE, summary="cancels a pending shutdown")
        if "-k" in args:
            return make_op(cmd, HOST, "wall", Effect.WRITE, summary="warns users only")
        reboot = any(a in ("-r", "--reboot", "/r") for a in args)
        return power_op(cmd, "reboot" if reboot else "poweroff")
    if "-w" in args or "--wtmp-only" in args:
        return make_op(cmd, HOST, "wtmp", Effect.WRITE, summary="writes a wtmp record only")
    action = {"reboot": "reboot", "halt": "halt"}.get(prog, "poweroff")
    if "--reboot" in args:
        action = "reboot"
    return power_op(cmd, action)
