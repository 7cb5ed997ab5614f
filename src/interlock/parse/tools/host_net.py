"""Network links and routes: ip, ifconfig, route, nmcli, ifdown/ifup.

Taking an interface down, flushing its addresses or the routing table, or deleting the
default route can cut the machine off: tagged `network-cut`. `ip netns exec NS cmd…` hands the
inner command back to the shell analyzer.
"""

from __future__ import annotations

import shlex

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    make_op,
    names,
    read_op,
    target,
    unknown_op,
    wants_help,
)

# `ip` matches an object by prefix, in this order (iproute2's own table).
_IP_OBJECTS = (
    "address", "addrlabel", "maddress", "route", "rule", "neighbour", "neighbor", "ntable",
    "link", "l2tp", "fou", "ila", "macsec", "tunnel", "tuntap", "token", "tcp_metrics",
    "tcpmetrics", "monitor", "xfrm", "mroute", "mrule", "netns", "netconf", "vrf", "sr",
    "nexthop", "mptcp", "ioam", "stats", "help",
)  # fmt: skip
_IP_VALUE_OPTS = frozenset({"-n", "-netns", "-f", "-family", "-b", "-batch", "-l", "-loops",
                            "-rc", "-rcvbuf"})  # fmt: skip
_IP_READ_VERBS = ("show", "list", "lst", "get", "monitor", "save", "showdump", "help", "identify",
                  "pids")  # fmt: skip
_NMCLI_OBJ = {"g": "general", "n": "networking", "r": "radio", "c": "connection",
              "d": "device", "a": "agent", "m": "monitor"}  # fmt: skip


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if wants_help(cmd.args):
        return [read_op(cmd, HOST, summary=f"shows {cmd.program} help")]
    prog = cmd.program
    if prog == "ip":
        return _ip(cmd, ctx)
    handler = {"ifconfig": _ifconfig, "route": _route, "nmcli": _nmcli}.get(prog, _ifupdown)
    return [handler(cmd)]


def _net(
    cmd: Command, action: str, effect: Effect, kind: str, name: str, cut: bool, summary: str
) -> Operation:
    tags = {"network-cut"} if cut else set()
    return make_op(cmd, HOST, action, effect, [target(cmd, kind, name)], tags, summary)


def _ip_object(word: str) -> str | None:
    if word in ("a", "addr"):
        return "address"
    if word in ("r", "ro"):
        return "route"
    if word in ("l", "li"):
        return "link"
    if word in ("n", "neigh"):
        return "neighbour"
    return next((o for o in _IP_OBJECTS if o.startswith(word)), None)


def _ip(cmd: Command, ctx: Context) -> list[Operation]:
    args = list(cmd.args)
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in _IP_VALUE_OPTS else 1
    if any(a in ("-b", "-batch") for a in args[:i]):
        return [make_op(cmd, HOST, "batch", Effect.UNKNOWN, summary="runs an ip batch file")]
    if i >= len(args):
        return [read_op(cmd, HOST, "show", "shows ip help")]
    obj = _ip_object(args[i]) or args[i]
    rest = args[i + 1 :]
    verb = rest[0] if rest else "show"
    if obj == "netns" and verb == "exec" and len(rest) >= 3:
        op = make_op(
            cmd, HOST, "exec", Effect.WRITE, summary=f"runs a command in netns `{rest[1]}`"
        )
        return [op, *ctx.shell(shlex.join(rest[2:]), cmd)] if ctx.depth < 8 else [op]
    short = verb in ("sh", "sho", "l", "li", "lis", "ls", "g", "ge")
    if short or any(verb.startswith(v) for v in _IP_READ_VERBS) or obj == "monitor":
        return [read_op(cmd, HOST, "show", f"shows ip {obj}")]
    return [_ip_change(cmd, obj, verb, rest[1:])]


def _ip_change(cmd: Command, obj: str, verb: str, rest: list[str]) -> Operation:
    dev = _dev(rest)
    if obj == "link":
        if verb == "set" and "down" in rest:
            return _net(
                cmd, "down", Effect.WRITE, "interface", dev, True, f"takes interface `{dev}` down"
            )
        if verb in ("delete", "del"):
            return _net(
                cmd, "delete", Effect.DESTROY, "interface", dev, False, f"deletes interface `{dev}`"
            )
    if obj == "address" and (verb in ("flush", "f", "delete", "del")):
        return _net(
            cmd, verb, Effect.WRITE, "interface", dev, True, f"removes addresses from `{dev}`"
        )
    if obj in ("route", "rule") and verb.startswith("f") and "cache" not in rest:
        return _net(
            cmd, "flush", Effect.WRITE, "route", "routing table", True, "flushes the routing table"
        )
    if obj == "route" and verb in ("del", "delete") and (rest[:1] in (["default"], ["0.0.0.0/0"])):
        return _net(
            cmd, "delete", Effect.WRITE, "route", "default", True, "deletes the default route"
        )
    if obj == "netns" and verb in ("del", "delete"):
        return _net(cmd, "delete", Effect.DESTROY, "netns", dev, False, f"deletes netns `{dev}`")
    return _net(
        cmd, verb, Effect.WRITE, obj, dev, False, f"ip {obj} {verb} {' '.join(rest[:4])}".strip()
    )


def _dev(rest: list[str]) -> str:
    for i, w in enumerate(rest):
        if w == "dev" and i + 1 < len(rest):
            return rest[i + 1]
    words = [w for w in rest if w not in ("down", "up", "set", "del", "delete", "flush")]
    return words[0] if words else "all"


def _ifconfig(cmd: Command) -> Operation:
    pos = [a for a in cmd.args if not a.startswith("-")]
    if len(pos) <= 1:
        return read_op(cmd, HOST, "show", "shows interfaces")
    dev = pos[0]
    if "down" in pos[1:]:
        return _net(
            cmd, "down", Effect.WRITE, "interface", dev, True, f"takes interface `{dev}` down"
        )
    return _net(cmd, "set", Effect.WRITE, "interface", dev, False, f"configures interface `{dev}`")


def _route(cmd: Command) -> Operation:
    pos = [a for a in cmd.args if not a.startswith("-")]
    if not pos or pos[0] in ("show", "get", "print", "monitor"):
        return read_op(cmd, HOST, "show", "shows routes")
    verb = pos[0]
    if verb == "flush":
        return _net(
            cmd, "flush", Effect.WRITE, "route", "routing table", True, "flushes the routing table"
        )
    if verb in ("del", "delete") and set(pos[1:]) & {"default", "0.0.0.0", "0.0.0.0/0"}:
        return _net(
            cmd, "delete", Effect.WRITE, "route", "default", True, "deletes the default route"
        )
    return _net(
        cmd, verb, Effect.WRITE, "route", " ".join(pos[1:3]) or "route", False, f"route {verb}"
    )


def _nmcli(cmd: Command) -> Operation:
    pos = [a for a in cmd.args if not a.startswith("-")]
    if not pos:
        return read_op(cmd, HOST, "show", "shows network status")
    obj = _NMCLI_OBJ.get(pos[0][:1], pos[0]) if pos[0] else pos[0]
    verb = pos[1] if len(pos) > 1 else "show"
    name = pos[-1] if len(pos) > 2 else obj
    setting = obj == "general" and verb in ("hostname", "logging") and len(pos) > 2
    reading = obj in ("general", "monitor", "agent") or verb in ("show", "status", "list", "s", "l")
    if reading and not setting:
        return read_op(cmd, HOST, "show", f"shows nmcli {obj}")
    if obj in ("networking", "radio") and "off" in pos:
        return _net(cmd, "off", Effect.WRITE, "interface", "all", True, "turns networking off")
    if obj in ("networking", "radio") and len(pos) <= 2:
        return read_op(cmd, HOST, "show", f"shows nmcli {obj}")
    if verb in ("down", "disconnect"):
        return _net(cmd, "down", Effect.WRITE, "interface", name, True, f"takes `{name}` down")
    if verb in ("delete", "del"):
        return _net(
            cmd, "delete", Effect.DESTROY, "connection", name, False, f"deletes connection `{name}`"
        )
    return _net(cmd, verb, Effect.WRITE, obj, name, False, f"nmcli {obj} {verb} {names([name])}")


def _ifupdown(cmd: Command) -> Operation:
    pos = [a for a in cmd.args if not a.startswith("-")]
    dev = pos[0] if pos else "all"
    if cmd.program == "ifdown":
        return _net(
            cmd, "down", Effect.WRITE, "interface", dev, True, f"takes interface `{dev}` down"
        )
    if cmd.program == "ifup":
        return _net(
            cmd, "up", Effect.WRITE, "interface", dev, False, f"brings interface `{dev}` up"
        )
    return unknown_op(cmd, HOST)
