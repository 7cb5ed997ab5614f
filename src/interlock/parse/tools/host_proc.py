"""Processes and schedules: kill, killall, pkill, killall5, fuser, renice, crontab (`at`,
`atq`, `atrm` and `batch` live in `host_at`).

Signal 0 only checks that a process exists (a read). Signalling PID 1 (init) is tagged `pid-1`;
PID -1 (every process the caller may signal) `all-processes`. Killing by name (`pkill`,
`killall`) is tagged `by-name`, with `force` for SIGKILL, `all` when every process of a user is
hit or the match is inverted, and `critical-process` for daemons a machine needs.
"""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    dynamic_tags,
    make_op,
    names,
    read_op,
    target,
    wants_help,
    words,
)

CRITICAL_PROCESSES = words(
    "sshd systemd init dockerd containerd kubelet postgres postmaster mysqld mariadbd mongod "
    "redis-server etcd systemd-journald journald dbus-daemon networkmanager sshd: bash zsh "
    "sh login getty agetty kube-apiserver crio"
)
# `pkill -f .`: patterns every process matches
_MATCH_ALL = frozenset({"", ".", ".*", ".+", "^", "$", "^.*", "^.", "^.*$"})
# `$(pidof sshd)`, `$(pgrep -f gunicorn)`, `` `pidof java` ``: processes chosen by name
_LOOKUP = re.compile(
    r"^(?:\$\(|`)\s*(?:pidof|pgrep)\s+(?:-\S+\s+)*['\"]?([^'\"`)]+?)['\"]?\s*(?:\)|`)$"
)
_SIGNALS = {"KILL": "9", "TERM": "15", "HUP": "1", "INT": "2", "QUIT": "3", "STOP": "19",
            "CONT": "18", "USR1": "10", "USR2": "12", "ABRT": "6"}  # fmt: skip
_KILLALL_TV = words("-s --signal -u --user -o --older-than -y --younger-than -Z --context -n --ns")
_PKILL_TV = words(
    "--signal -P --parent -s --session -t --terminal -u --euid -U --uid -g --pgroup -G --group "
    "-F --pidfile --ns --nslist -q --queue -r --runstates --cgroup --env"
)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if prog == "crontab":
        return [_crontab(cmd), *_cron_jobs(cmd, ctx)]
    if prog in ("pkill", "killall"):
        return [_kill_by_name(cmd)]
    if prog in ("at", "atq", "atrm", "batch"):
        from interlock.parse.tools.host_at import analyze as at

        return at(cmd, ctx)
    if prog in ("killall5", "fuser", "renice"):
        return [_other(cmd)]
    return [_kill(cmd)]


def _other(cmd: Command) -> Operation:
    """`killall5` signals every process; `fuser -k` kills the users of a path or port."""
    args = list(cmd.args)
    if wants_help(args) or (cmd.program == "fuser" and not _fuser_kills(args)):
        return read_op(cmd, HOST, "list", f"reads with {cmd.program}")
    if cmd.program == "renice":
        return make_op(cmd, HOST, "renice", Effect.WRITE, summary="changes process priority")
    sig = next((signal_number(a[1:]) for a in args if a.startswith("-") and a[1:2] != "-"), "")
    if cmd.program == "killall5":
        tags = {"all-processes", *(("force",) if sig == "9" else ())}
        return make_op(cmd, HOST, "kill", Effect.WRITE, tags=tags, summary="signals every process")
    paths = [a for a in args if not a.startswith("-")]
    tgts = [target(cmd, "process", f"users of {p}") for p in paths[:10]]
    return make_op(cmd, HOST, "kill", Effect.WRITE, tgts, dynamic_tags(cmd),
                   f"kills every process using {names(paths)}")  # fmt: skip


def _fuser_kills(args: list[str]) -> bool:
    return any(a == "--kill" or (a.startswith("-") and a[1:2] != "-" and "k" in a) for a in args)


def signal_number(spec: str) -> str:
    s = spec.upper().removeprefix("SIG")
    return _SIGNALS.get(s, s)


def _kill(cmd: Command) -> Operation:
    args = list(cmd.args)
    if wants_help(args) or any(a in ("-l", "-L", "--list", "--table") for a in args):
        return read_op(cmd, HOST, summary="lists signals")
    sig, pids = _kill_args(args)
    if sig == "0":
        return read_op(cmd, HOST, "probe", f"checks that process {names(pids)} exists")
    looked_up = [m[1] for m in map(_LOOKUP.match, pids) if m]
    if looked_up:  # `kill -9 $(pidof sshd)` is `killall -9 sshd`
        return _name_op(cmd, sig, looked_up, [], False)
    tags = set(dynamic_tags(cmd))
    if sig == "9":
        tags.add("force")
    if "1" in pids:
        tags.add("pid-1")
    if "-1" in pids:
        tags.add("all-processes")
    tgts = [target(cmd, "process", p) for p in pids[:20]]
    summary = f"sends signal {sig or 'TERM'} to process {names(pids)}"
    if "all-processes" in tags:
        summary = f"sends signal {sig or 'TERM'} to every process"
    return make_op(cmd, HOST, "kill", Effect.WRITE, tgts, tags, summary)


def _kill_args(args: list[str]) -> tuple[str, list[str]]:
    sig, pids = "", []
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            pids.extend(args[i:])
            break
        if a in ("-s", "-n", "--signal") and i < len(args):
            sig, i = signal_number(args[i]), i + 1
        elif a.startswith("--signal="):
            sig = signal_number(a.partition("=")[2])
        elif a.startswith("-") and len(a) > 1 and not sig and not pids:
            sig = signal_number(a[1:])
        else:
            pids.append(a)
    return sig, pids


def _kill_by_name(cmd: Command) -> Operation:
    args = list(cmd.args)
    if wants_help(args) or "-l" in args or "--list" in args or "-V" in args:
        return read_op(cmd, HOST, summary="lists signals")
    sig = ""
    rest = []
    for a in args:
        head = a[1:]
        if a.startswith("-") and (head.isdigit() or signal_number(head) in _SIGNALS.values()):
            sig = signal_number(head)
        else:
            rest.append(a)
    tv = _KILLALL_TV if cmd.program == "killall" else _PKILL_TV
    a = parse_args(rest, tv, bundle=True)
    sig = signal_number(
        a.value("--signal") or (a.value("-s") if cmd.program == "killall" else "") or sig
    )
    if sig == "0":
        return read_op(cmd, HOST, "probe", "checks processes exist")
    return _name_op(
        cmd, sig, a.pos, a.values("-u", "--user", "--euid", "-U", "--uid"), a.has("-v", "--inverse")
    )


def _name_op(cmd: Command, sig: str, pats: list[str], users: list[str], inverse: bool) -> Operation:
    tags = {"by-name", *dynamic_tags(cmd)}
    if sig == "9":
        tags.add("force")
    if inverse or (users and not pats) or any(p.strip("'\"") in _MATCH_ALL for p in pats):
        tags.add("all")
    if any(p.lower().strip("^$'\"") in CRITICAL_PROCESSES or _critical_prefix(p) for p in pats):
        tags.add("critical-process")
    if "root" in users and not pats:
        tags.add("critical-process")
    tgts = [target(cmd, "process", p) for p in pats[:20]]
    tgts += [target(cmd, "user", u) for u in users[:5]]
    who = names(pats) or f"every process of {names(users)}"
    return make_op(cmd, HOST, "kill", Effect.WRITE, tgts, tags, f"signals ({sig or 'TERM'}) {who}")


def _critical_prefix(pattern: str) -> bool:
    word = pattern.lower().lstrip("^").split(" ", 1)[0].rsplit("/", 1)[-1]
    return word in CRITICAL_PROCESSES and word not in ("sh", "bash", "zsh", "init")


def _cron_jobs(cmd: Command, ctx: Context) -> list[Operation]:
    """The commands of a crontab fed on stdin (`echo '* * * * * cmd' | crontab -`)."""
    if not cmd.stdin or ctx.depth > 8:
        return []
    ops: list[Operation] = []
    for line in cmd.stdin.splitlines()[:50]:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split(None, 1 if line.startswith("@") else 5)
        if len(fields) < (2 if line.startswith("@") else 6) or "=" in fields[0]:
            continue
        ops.extend(o.with_tags("scheduled") for o in ctx.shell(fields[-1], cmd))
    return ops


def _crontab(cmd: Command) -> Operation:
    a = parse_args(cmd.args, ("-u", "-n", "-s"), bundle=True)
    user = a.value("-u")
    tgt = [target(cmd, "crontab", user or "current user")]
    flags = set(a.opts)
    if wants_help(cmd.args) or flags & {"-l", "-T", "-V", "-c"}:
        return read_op(cmd, HOST, "list", "lists the crontab")
    if "-r" in flags:
        summary = f"deletes the crontab of {'`' + user + '`' if user else 'the current user'}"
        return make_op(cmd, HOST, "remove", Effect.DESTROY, tgt, summary=summary)
    if "-e" in flags:
        return make_op(cmd, HOST, "edit", Effect.WRITE, tgt, summary="edits the crontab")
    src = a.pos[0] if a.pos else "-"
    if src == "/dev/null" or (src == "-" and cmd.stdin is not None and not cmd.stdin.strip()):
        summary = "empties the crontab (every job is removed)"
        return make_op(cmd, HOST, "remove", Effect.DESTROY, tgt, summary=summary)
    summary = f"replaces the crontab with {'stdin' if src == '-' else '`' + src + '`'}"
    return make_op(cmd, HOST, "install", Effect.WRITE, tgt, summary=summary)
