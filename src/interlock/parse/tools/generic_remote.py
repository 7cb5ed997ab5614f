"""Fleet runners: tools that run a shell command, or a module function, on other machines.

`salt '*' cmd.run 'rm -rf /srv'`, `pssh -h hosts 'systemctl stop x'`, `clush -a …`, `pdsh -w …`,
`knife ssh 'role:web' …`, `fab -H web1 -- …`, `pyinfra inv exec -- …`, `pct exec 101 -- …`,
`adb shell …`, `juju ssh unit …`: the inner command is analyzed as shell on the remote host
(`ctx.shell(text, cmd with host=…)`), so `uptime` stays a read and `rm -rf /` is judged as it
would be over ssh. Salt module functions (`pkg.remove`, `state.apply test=True`) are read through
the verb lexicon. `analyze(cmd, ctx)` answers None for a program or form it does not know.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse import lexicon
from interlock.parse.lexicon import words
from interlock.parse.tools import Context

_R, _W, _D, _U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

_SALT_VALUES = words(
    "-t --timeout -c --config-dir --out --output --out-file -b --batch-size --batch -l "
    "--log-level --return --subset -a --eauth --module-executors --state-output "
    "--priv --user --roster --roster-file --saltfile"
)
_SALT_SHELL = words("cmd.run cmd.run_all cmd.run_stdout cmd.run_stderr cmd.shell cmd.powershell")
# Execution-module functions with a plain shell equivalent, judged as that command would be.
_SALT_AS_SHELL = {
    "system.reboot": "reboot",
    "system.halt": "halt",
    "system.poweroff": "poweroff",
    "system.shutdown": "shutdown -h now",
    "service.stop": "systemctl stop",
    "service.start": "systemctl start",
    "service.restart": "systemctl restart",
    "service.reload": "systemctl reload",
    "service.disable": "systemctl disable",
    "service.enable": "systemctl enable",
    "service.status": "systemctl status",
    "file.remove": "rm -rf",
    "file.rmdir": "rmdir",
    "pkg.remove": "apt-get remove -y",
    "pkg.purge": "apt-get purge -y",
    "user.delete": "userdel",
    "group.delete": "groupdel",
}
_SALT_SCRIPT = words("cmd.script cmd.exec_code cmd.exec_code_all cmd.retcode")
# Modules whose functions read unless their name says otherwise (`grains.items`, `test.ping`).
_SALT_READ_MODULES = words("test grains pillar status network disk sys config cmdmod-which")
_SALT_READ_FNS = words("items item ping version versions top fqdns uptime which")
_SALT_WRITE_PREFIX = ("set", "append", "add", "put", "sync", "refresh")
_SALT_DESTROY_PREFIX = ("del", "remove", "rm", "purge", "wipe", "flush", "clear")
_SSH_VALUES = {
    "pssh": words("-h -H -l -p -o -e -t -O -x -X --hosts --host --user --par --outdir"),
    "pdsh": words("-w -x -g -X -l -R -f -t -u -e -m -M"),
    "clush": words("-w -x -g -X -f -l -o -t -u -R --dest -s --groupsource -E --fanout"),
    "dsh": words("-m -g -r -o -F --machine --group --remoteshell --remoteshellopt"),
    "knife": words("-x -i -a -C -p -P -m --ssh-user --ssh-port --attribute -c --config -E"),
}
_SSH_VALUES["parallel-ssh"] = _SSH_VALUES["pssh"]


def analyze(cmd: Command, ctx: Context) -> list[Operation] | None:
    handler = _HANDLERS.get(cmd.program)
    return handler(cmd, ctx) if handler else None


def remote_shell(
    cmd: Command, ctx: Context, text: str, host: str | None, via: str
) -> list[Operation]:
    """The operations of shell `text` run on `host` (None: this machine); one unknown operation
    when it cannot be read."""
    inner: list[Operation] = []
    if text.strip() and ctx.depth < 8:
        inner = list(ctx.shell(text, replace(cmd, host=host, via=(*cmd.via, via))))
    if inner:
        return inner
    where = host or "this machine"
    target = Target.make("host", where, host=host)
    summary = f"runs `{text[:60]}` on `{where}` through `{cmd.program}`"
    return [_op(cmd, "exec", _U, target, {"remote-code"}, summary)]


def _op(
    cmd: Command, action: str, effect: Effect, target: Target, tags: set[str], summary: str
) -> Operation:
    from interlock.parse.tools.generic import op

    return op(cmd, action, effect, [target], tags, summary)


def _split(
    cmd: Command, values: frozenset[str], flags_until: int = 1
) -> tuple[dict[str, str], list[str]]:
    """Flags (with values) and the positionals, everything after `--` included. Flags are read
    until `flags_until` positionals have been seen (`salt '*' -r 'cmd'`)."""
    flags: dict[str, str] = {}
    pos: list[str] = []
    argv, i = cmd.argv, 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            pos.extend(argv[i + 1 :])
            break
        if a.startswith("-") and len(a) > 1 and len(pos) < flags_until:
            name, eq, val = a.partition("=")
            if not eq and name in values and i + 1 < len(argv):
                val = argv[i + 1]
                i += 1
            flags[name] = val
        else:
            pos.append(a)
        i += 1
    return flags, pos


def _salt(cmd: Command, ctx: Context) -> list[Operation] | None:
    flags, pos = _split(cmd, _SALT_VALUES, 1 if cmd.program == "salt-call" else 2)
    if flags.keys() & {"--help", "-h", "--version", "-V", "--versions-report"}:
        return None
    if cmd.program == "salt-call":
        host, rest = cmd.host, pos
    else:
        if not pos:
            return None
        host, rest = pos[0], pos[1:]
    if flags.keys() & {"-r", "--raw", "--raw-shell"}:
        return remote_shell(cmd, ctx, " ".join(rest), host, cmd.program)
    if not rest:
        return None
    return _salt_function(cmd, ctx, host, rest[0], rest[1:])


def _salt_function(
    cmd: Command, ctx: Context, host: str | None, fn: str, args: list[str]
) -> list[Operation]:
    plain = [a for a in args if "=" not in a or a.startswith(("cmd=", "name="))]
    if fn in _SALT_SHELL and plain:
        text = plain[0].removeprefix("cmd=")
        return remote_shell(cmd, ctx, text, host, f"{cmd.program} {fn}")
    if fn in _SALT_AS_SHELL and (plain or fn.startswith("system.")):
        text = _SALT_AS_SHELL[fn] + " " + " ".join(shlex.quote(a) for a in plain[:1])
        return remote_shell(cmd, ctx, text.strip(), host, f"{cmd.program} {fn}")
    host = host or "this minion"
    target = Target.make("host", host, host=host)
    tags = {"bulk"} if any(c in host for c in "*?[,") else set()
    if fn in _SALT_SCRIPT:
        summary = f"runs a script on `{host}` (`{fn}`)"
        return [_op(cmd, fn, _U, target, tags | {"remote-code"}, summary)]
    effect = _salt_effect(fn, args)
    return [_op(cmd, fn, effect, target, tags, f"runs `{fn}` on `{host}`")]


def _salt_effect(fn: str, args: list[str]) -> Effect:
    module, _, name = fn.rpartition(".")
    if module == "state" and any(a.lower() in ("test=true", "test=1") for a in args):
        return _R
    if name in _SALT_READ_FNS:
        return _R
    if name.startswith(_SALT_DESTROY_PREFIX):
        return _D
    found = lexicon.classify_lead(name)
    if found is not None:
        return found
    if name.startswith(_SALT_WRITE_PREFIX):
        return _W
    return _R if module in _SALT_READ_MODULES else _U


def _fleet(cmd: Command, ctx: Context) -> list[Operation] | None:
    """pssh, parallel-ssh, pdsh, clush, dsh: flags, then the command to run everywhere."""
    flags, pos = _split(cmd, _SSH_VALUES[cmd.program])
    hostfile = cmd.program in ("pssh", "parallel-ssh")
    if flags.keys() & {"--help", "--version", "-V"} or (not hostfile and "-h" in flags):
        return None
    host = _fleet_host(cmd.program, flags)
    if flags.keys() & {"-c", "--copy", "--rcopy"} and cmd.program == "clush":
        target = Target.make("host", host, host=host)
        return [_op(cmd, "copy", _W, target, {"bulk"}, f"copies files to `{host}`")]
    if not pos:
        target = Target.make("host", host, host=host)
        return [_op(cmd, "session", _U, target, {"remote-code"}, f"runs commands on `{host}`")]
    return fan_out(cmd, ctx, " ".join(pos), host, cmd.program)


def fan_out(cmd: Command, ctx: Context, text: str, hosts: str, via: str) -> list[Operation]:
    """`remote_shell` on each host of a short comma list (`-H prod1,prod2`), so each host's
    tier counts; a pattern or a long list stays one target."""
    names = [h.strip() for h in hosts.split(",") if h.strip()]
    if len(names) < 2 or len(names) > 8 or any(c in hosts for c in "[]*?"):
        return remote_shell(cmd, ctx, text, hosts, via)
    return [o for h in names for o in remote_shell(cmd, ctx, text, h, via)]


def _fleet_host(prog: str, flags: dict[str, str]) -> str:
    for key in ("-H", "--host", "-w", "-m", "--machine"):
        if flags.get(key):
            return flags[key]
    for key in ("-h", "--hosts") if prog in ("pssh", "parallel-ssh") else ():
        if flags.get(key):
            return f"hosts in {flags[key]}"
    for key in ("-g", "--group"):
        if flags.get(key):
            return f"group {flags[key]}"
    return "all hosts"


def _knife(cmd: Command, ctx: Context) -> list[Operation] | None:
    if len(cmd.argv) < 4 or cmd.argv[1] != "ssh":
        return None
    _, pos = _split(replace(cmd, argv=cmd.argv[1:]), _SSH_VALUES["knife"])
    if len(pos) < 2:
        return None
    return remote_shell(cmd, ctx, " ".join(pos[1:]), pos[0], "knife ssh")


def _after_dashes(cmd: Command) -> str | None:
    if "--" not in cmd.argv:
        return None
    return " ".join(cmd.argv[cmd.argv.index("--") + 1 :])


def _fab(cmd: Command, ctx: Context) -> list[Operation] | None:
    text = _after_dashes(cmd)
    if text is None:
        from interlock.parse.tools.generic_ci import fab_tasks

        return fab_tasks(cmd)
    flags, _ = _split(replace(cmd, argv=cmd.argv[: cmd.argv.index("--")]), words("-H --hosts"))
    host = flags.get("-H") or flags.get("--hosts") or "fabric hosts"
    return fan_out(cmd, ctx, text, host, "fab")


def _pyinfra(cmd: Command, ctx: Context) -> list[Operation] | None:
    args = [a for a in cmd.argv[1:] if not a.startswith("-")]
    if len(args) < 2:
        return None
    host, verb = args[0], args[1]
    if verb == "exec":
        text = _after_dashes(cmd) or " ".join(args[2:])
        return remote_shell(cmd, ctx, text, host, "pyinfra exec")
    target = Target.make("host", host, host=host)
    if verb in ("fact", "facts", "debug-inventory", "all-facts"):
        return [_op(cmd, "fact", _R, target, set(), f"reads facts from `{host}`")]
    if "--dry" in cmd.argv:
        return [_op(cmd, "deploy", _R, target, {"dry-run"}, f"previews a deploy on `{host}`")]
    return None


def _pct(cmd: Command, ctx: Context) -> list[Operation] | None:
    if len(cmd.argv) < 4 or cmd.argv[1] != "exec":
        return None
    text = _after_dashes(cmd) or " ".join(cmd.argv[3:])
    return remote_shell(cmd, ctx, text, f"ct-{cmd.argv[2]}", "pct exec")


def _adb(cmd: Command, ctx: Context) -> list[Operation] | None:
    argv = list(cmd.argv[1:])
    device = "android-device"
    while argv and argv[0] in ("-s", "-t", "-H", "-P", "-d", "-e"):
        if argv[0] in ("-s", "-t") and len(argv) > 1:
            device = argv[1]
            argv = argv[1:]
        argv = argv[1:]
    if len(argv) < 2 or argv[0] != "shell":
        return None
    return remote_shell(cmd, ctx, " ".join(argv[1:]), device, "adb shell")


def _juju(cmd: Command, ctx: Context) -> list[Operation] | None:
    args = list(cmd.argv[1:])
    if len(args) >= 3 and args[0] == "ssh" and not args[1].startswith("-"):
        return remote_shell(cmd, ctx, " ".join(args[2:]), args[1], "juju ssh")
    if args[:1] == ["exec"] and "--" in args:
        flags, _ = _split(replace(cmd, argv=cmd.argv[: cmd.argv.index("--")]), _JUJU_VALUES)
        host = flags.get("--unit") or flags.get("-u") or flags.get("--application") or "units"
        host = "all machines" if "--all" in flags else host
        return remote_shell(cmd, ctx, _after_dashes(cmd) or "", host, "juju exec")
    return None


_JUJU_VALUES = words("--unit -u --application -a --machine -m --timeout --format -o")

_HANDLERS: dict[str, Callable[[Command, Context], list[Operation] | None]] = {
    "salt": _salt,
    "salt-ssh": _salt,
    "salt-call": _salt,
    "pssh": _fleet,
    "parallel-ssh": _fleet,
    "pdsh": _fleet,
    "clush": _fleet,
    "dsh": _fleet,
    "knife": _knife,
    "fab": _fab,
    "pyinfra": _pyinfra,
    "pct": _pct,
    "adb": _adb,
    "juju": _juju,
}
PROGRAMS = frozenset(_HANDLERS)
