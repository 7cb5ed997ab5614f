"""Wrappers and nested shells: what a command really runs.

`peel(cmd)` answers how to see through a wrapper:

- `Inner(cmd)`: the wrapper runs another command (`sudo rm …`, `timeout 5 kubectl …`);
- `Script(text)`: it runs shell code given as a string (`bash -c '…'`, `ssh host '…'`, `eval`);
- `Opaque(reason, tags)`: it runs code we cannot see (`bash deploy.sh`, `source x`, `sudo -i`);
- None: not a wrapper.

`own_op` is True when the wrapper itself is an operation worth analyzing too (`ssh`,
`kubectl exec`, `docker exec`, `find`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from interlock.model import Command, program_name


@dataclass(frozen=True, slots=True)
class Inner:
    cmd: Command
    own_op: bool = False


@dataclass(frozen=True, slots=True)
class Script:
    text: str
    cmd: Command  # carries env/host/via for the nested script
    dynamic: bool = False
    own_op: bool = False


@dataclass(frozen=True, slots=True)
class Opaque:
    reason: str
    tags: tuple[str, ...] = ()
    own_op: bool = False
    host: str | None = None


Peel = Inner | Script | Opaque | list[Inner | Script | Opaque]

SHELLS = frozenset("sh bash zsh dash ksh ash mksh fish tcsh csh busybox-sh yash posh rbash".split())

# wrapper: (options that take a value, positionals to skip before the command)
_SIMPLE: dict[str, tuple[frozenset[str], int]] = {
    "sudo": (
        frozenset(
            "-u -g -h -p -C -D -r -t -U -T --user --group --host --prompt "
            "--close-from --chdir --role --type --other-user --command-timeout".split()
        ),
        0,
    ),
    "doas": (frozenset({"-u", "-C"}), 0),
    "pkexec": (frozenset({"--user"}), 0),
    "nohup": (frozenset(), 0),
    "time": (frozenset({"-f", "-o", "--format", "--output"}), 0),
    "nice": (frozenset({"-n", "--adjustment"}), 0),
    "ionice": (frozenset({"-c", "-n", "-p", "-P", "-u", "--class", "--classdata"}), 0),
    "timeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    "gtimeout": (frozenset({"-s", "--signal", "-k", "--kill-after"}), 1),
    "stdbuf": (frozenset({"-i", "-o", "-e", "--input", "--output", "--error"}), 0),
    "unbuffer": (frozenset(), 0),
    "setsid": (frozenset(), 0),
    "caffeinate": (frozenset({"-t", "-w"}), 0),
    "chrt": (frozenset(), 1),
    "taskset": (frozenset(), 1),
    "flock": (frozenset({"-w", "--timeout", "-E", "--conflict-exit-code"}), 1),
    "chroot": (frozenset({"--userspec", "--groups"}), 1),
    "strace": (
        frozenset({"-e", "-o", "-p", "-s", "-u", "-E", "-P", "-S", "-a", "-b", "-I", "-O", "-X"}),
        0,
    ),
    "ltrace": (frozenset({"-e", "-o", "-p", "-s", "-u", "-n", "-a"}), 0),
    "valgrind": (frozenset(), 0),
    "torsocks": (frozenset({"-u", "-p", "-a", "-P"}), 0),
    "proxychains": (frozenset({"-f"}), 0),
    "proxychains4": (frozenset({"-f"}), 0),
    "tsocks": (frozenset(), 0),
    "rlwrap": (frozenset({"-f", "-H", "-P", "-S", "-s"}), 0),
    "xvfb-run": (frozenset({"-n", "-s", "-f", "-e", "-p", "--server-args", "--server-num"}), 0),
    "dbus-run-session": (frozenset(), 0),
    "firejail": (frozenset(), 0),
    "unshare": (frozenset(), 0),
    "nsenter": (frozenset({"-t", "--target", "-S", "-G", "--setuid", "--setgid", "-w", "-r"}), 0),
    "systemd-run": (
        frozenset(
            {
                "-u",
                "--unit",
                "-p",
                "--property",
                "-M",
                "--machine",
                "-H",
                "--host",
                "--description",
                "--slice",
                "-E",
                "--setenv",
                "--uid",
                "--gid",
                "--working-directory",
                "--on-calendar",
                "--on-active",
            }
        ),
        0,
    ),
    "runuser": (frozenset({"-u", "-g", "-G", "--user", "--group"}), 0),
    "gosu": (frozenset(), 1),
    "su-exec": (frozenset(), 1),
    "setpriv": (frozenset({"--reuid", "--regid", "--groups", "--inh-caps", "--bounding-set"}), 0),
    "command": (frozenset(), 0),
    "builtin": (frozenset(), 0),
    "exec": (frozenset({"-a"}), 0),
    "busybox": (frozenset(), 0),
    "toybox": (frozenset(), 0),
    "nocorrect": (frozenset(), 0),
    "noglob": (frozenset(), 0),
    "then": (frozenset(), 0),
    "do": (frozenset(), 0),
    "npx": (frozenset({"-p", "--package", "-c", "--call"}), 0),
    "bunx": (frozenset({"-p", "--package"}), 0),
    "pnpx": (frozenset({"-p", "--package"}), 0),
    "uvx": (frozenset({"--from", "--with", "-p", "--python"}), 0),
    "envchain": (frozenset(), 1),
    "ddev": (frozenset(), 0),
}

# `tool run …`-style launchers: (program, subcommand words) → options taking values
_LAUNCHERS: dict[tuple[str, str], frozenset[str]] = {
    ("poetry", "run"): frozenset(),
    ("uv", "run"): frozenset(
        {"--with", "--python", "-p", "--env-file", "--package", "--directory"}
    ),
    ("pipenv", "run"): frozenset(),
    ("pdm", "run"): frozenset(),
    ("hatch", "run"): frozenset(),
    ("rye", "run"): frozenset(),
    ("bundle", "exec"): frozenset(),
    ("pipx", "run"): frozenset({"--spec", "--python"}),
    ("pnpm", "dlx"): frozenset(),
    ("pnpm", "exec"): frozenset(),
    ("yarn", "dlx"): frozenset(),
    ("yarn", "exec"): frozenset(),
    ("npm", "exec"): frozenset({"--package", "-p", "-c", "--call"}),
    ("conda", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("mamba", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("mise", "exec"): frozenset(),
    ("mise", "x"): frozenset(),
    ("asdf", "exec"): frozenset(),
    ("op", "run"): frozenset({"--env-file"}),
    ("doppler", "run"): frozenset({"-p", "--project", "-c", "--config", "--command"}),
    ("infisical", "run"): frozenset({"--env", "--path", "--projectId"}),
    ("teller", "run"): frozenset(),
    ("dotenv", "run"): frozenset(),
    ("nix", "run"): frozenset(),
    ("nix-shell", "--run"): frozenset(),
    ("direnv", "exec"): frozenset(),
    ("chamber", "exec"): frozenset(),
    ("aws-vault", "exec"): frozenset({"-d", "--duration", "-r", "--region", "--prompt"}),
    ("docker", "compose"): frozenset(),
}

_SSH_VALUE_OPTS = frozenset(
    "-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B".split()
)
_DOCKER_EXEC_OPTS = frozenset("-e --env --env-file -u --user -w --workdir --detach-keys".split())
_KUBECTL_EXEC_OPTS = frozenset(
    "-n --namespace -c --container --context --cluster --kubeconfig -s --server --user --as "
    "--pod-running-timeout --request-timeout -f --filename --token".split()
)


def peel(cmd: Command) -> Peel | None:
    """How to see through `cmd` when it is a wrapper; None when it is not."""
    prog = cmd.program
    if prog in _SIMPLE:
        return _peel_simple(cmd, prog)
    handler = _SPECIAL.get(prog)
    if handler is not None:
        peeled = handler(cmd)
        if peeled is not None:
            return peeled
    if prog in SHELLS:
        return _peel_shell(cmd)
    if len(cmd.argv) > 1 and (prog, cmd.argv[1]) in _LAUNCHERS:
        return _peel_launcher(cmd, prog)
    return None


def _skip_options(argv: tuple[str, ...], start: int, takes_value: frozenset[str]) -> int:
    """Index of the first word at or after `start` that is not an option (or after `--`)."""
    i = start
    while i < len(argv):
        a = argv[i]
        if a == "--":
            return i + 1
        if not a.startswith("-") or a == "-":
            return i
        if a in takes_value or (a[:2] in takes_value and len(a) == 2):
            i += 2
            continue
        i += 1
    return i


def _inner(cmd: Command, start: int, via: str, **changes: object) -> Inner | Opaque:
    if start >= len(cmd.argv):
        return Opaque(f"`{via}` with no command", ("interactive",))
    inner = cmd.shifted(start, via=via)
    if changes:
        inner = replace(inner, **changes)  # type: ignore[arg-type]
    return Inner(inner)


def _peel_simple(cmd: Command, prog: str) -> Peel:
    takes_value, skip = _SIMPLE[prog]
    if prog in ("sudo", "doas", "pkexec") and _has_any(cmd, ("-i", "-s", "--login", "--shell")):
        i = _skip_options(cmd.argv, 1, takes_value)
        if i >= len(cmd.argv):
            return Opaque(f"`{prog}` opens a root shell", ("interactive", "privileged"))
    if prog == "command" and _has_any(cmd, ("-v", "-V")):
        return Inner(Command(argv=("true",), text=cmd.text))
    i = _skip_options(cmd.argv, 1, takes_value)
    i += skip
    return _inner(cmd, i, prog)


def _has_any(cmd: Command, flags: tuple[str, ...]) -> bool:
    return any(a in flags for a in cmd.argv[1:] if a.startswith("-"))


def _peel_env(cmd: Command) -> Peel:
    argv = cmd.argv
    i = 1
    env = list(cmd.env)
    while i < len(argv):
        a = argv[i]
        if a in ("-u", "--unset", "-C", "--chdir"):
            i += 2
        elif a in ("-S", "--split-string") and i + 1 < len(argv):
            rest = " ".join(argv[i + 1 :])
            return Script(rest, replace(cmd, env=tuple(env), via=(*cmd.via, "env")))
        elif a.startswith("-S") and len(a) > 2:
            rest = " ".join((a[2:], *argv[i + 1 :]))
            return Script(rest, replace(cmd, env=tuple(env), via=(*cmd.via, "env")))
        elif a == "--":
            i += 1
            break
        elif a.startswith("-"):
            i += 1
        elif "=" in a and a.split("=", 1)[0].isidentifier():
            k, v = a.split("=", 1)
            env.append((k, v))
            i += 1
        else:
            break
    return _inner(cmd, i, "env", env=tuple(env))


def _peel_shell(cmd: Command) -> Peel:
    argv = cmd.argv
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in ("-c", "--command") or (
            a.startswith("-") and not a.startswith("--") and "c" in a[1:]
        ):
            if i + 1 >= len(argv):
                return Opaque(f"`{cmd.program} -c` without a script")
            dyn = cmd.is_dynamic(i + 1)
            return Script(argv[i + 1], _via(cmd, cmd.program), dynamic=dyn)
        if a in ("-o", "-O", "+o", "+O", "--rcfile", "--init-file"):
            i += 2
            continue
        if a == "--":
            i += 1
            break
        if a.startswith(("-", "+")):
            i += 1
            continue
        break
    if i < len(argv):
        return Opaque(f"runs the script file `{argv[i]}`", ("script-file",))
    if cmd.stdin is not None:
        return Script(cmd.stdin, _via(cmd, cmd.program))
    if cmd.stdin_piped:
        return Opaque("runs shell code read from a pipe", ("piped-code",))
    return Opaque(f"opens an interactive `{cmd.program}`", ("interactive",))


def _via(cmd: Command, name: str) -> Command:
    return replace(cmd, via=(*cmd.via, name), stdin=None, stdin_piped=False)


def _peel_eval(cmd: Command) -> Peel:
    if len(cmd.argv) < 2:
        return Inner(Command(argv=("true",), text=cmd.text))
    dyn = any(cmd.is_dynamic(i) for i in range(1, len(cmd.argv)))
    return Script(" ".join(cmd.argv[1:]), _via(cmd, "eval"), dynamic=dyn)


def _peel_ssh(cmd: Command) -> Peel:
    argv = cmd.argv
    i = _skip_options(argv, 1, _SSH_VALUE_OPTS)
    if i >= len(argv):
        return Opaque("`ssh` with no host")
    host = argv[i].rsplit("@", 1)[-1]
    rest = argv[i + 1 :]
    nested = replace(cmd, host=host, via=(*cmd.via, "ssh"), stdin=None, stdin_piped=False)
    if not rest:
        if cmd.stdin is not None:
            return Script(cmd.stdin, nested)
        return Opaque(f"opens a shell on `{host}`", ("interactive", "remote-shell"), host=host)
    dyn = any(cmd.is_dynamic(j) for j in range(i + 1, len(argv)))
    return Script(" ".join(rest), nested, dynamic=dyn)


def _peel_su(cmd: Command) -> Peel:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a in ("-c", "--command") and j + 1 < len(argv):
            return Script(argv[j + 1], _via(cmd, "su"), dynamic=cmd.is_dynamic(j + 1))
        if a.startswith("--command="):
            return Script(a.split("=", 1)[1], _via(cmd, "su"))
    return Opaque("`su` opens a shell as another user", ("interactive", "privileged"))


def _peel_script_flag(flag: tuple[str, ...], name: str) -> object:
    short = [f[1] for f in flag if len(f) == 2]

    def peel_it(cmd: Command) -> Peel | None:
        argv = cmd.argv
        for j, a in enumerate(argv[1:], start=1):
            bundled = a.startswith("-") and not a.startswith("--") and a[-1:] in short
            if (a in flag or bundled) and j + 1 < len(argv):
                return Script(argv[j + 1], _via(cmd, name), dynamic=cmd.is_dynamic(j + 1))
        return None

    return peel_it


def _peel_sops(cmd: Command) -> Peel | None:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a in ("exec-env", "exec-file") and j + 2 < len(argv):
            return Script(argv[j + 2], _via(cmd, "sops"), dynamic=cmd.is_dynamic(j + 2))
    return None


def _peel_watch(cmd: Command) -> Peel:
    i = _skip_options(cmd.argv, 1, frozenset({"-n", "--interval", "-d", "--differences", "-q"}))
    if i >= len(cmd.argv):
        return Opaque("`watch` with no command")
    return Script(" ".join(cmd.argv[i:]), _via(cmd, "watch"))


def _peel_xargs(cmd: Command) -> Peel:
    takes = frozenset(
        "-a -E -e -I -i -L -l -n -P -s -d --arg-file --delimiter --max-args "
        "--max-procs --max-lines --replace --eof --max-chars --process-slot-var".split()
    )
    i = _skip_options(cmd.argv, 1, takes)
    if i >= len(cmd.argv):
        inner = Command(argv=("echo",), text=cmd.text)
        return Inner(inner)
    inner = cmd.shifted(i, via="xargs")
    n = len(inner.argv)
    if cmd.stdin is not None and cmd.stdin.split():
        items = tuple(cmd.stdin.split())[:1000]
        return Inner(replace(inner, argv=(*inner.argv, *items), stdin=None, stdin_piped=False))
    # INVARIANT: xargs appends words read from stdin; they are unknown, so mark them dynamic.
    return Inner(
        replace(
            inner,
            argv=(*inner.argv, "{xargs}"),
            dynamic=inner.dynamic | {n},
            stdin=None,
            stdin_piped=False,
        )
    )


def _peel_parallel(cmd: Command) -> Peel:
    argv = cmd.argv
    end = len(argv)
    for j, a in enumerate(argv):
        if a in (":::", "::::", ":::+"):
            end = j
            break
    takes = frozenset(
        "-j --jobs -S --sshlogin -a --arg-file --delay --timeout -I --results --joblog".split()
    )
    i = _skip_options(argv[:end], 1, takes)
    if i >= end:
        return Opaque("`parallel` runs commands read from its input", ("piped-code",))
    return Script(" ".join(argv[i:end]) + " {}", _via(cmd, "parallel"))


def _peel_find(cmd: Command) -> Peel | None:
    argv = cmd.argv
    root = "."
    for a in argv[1:]:
        if a.startswith("-") or a in ("(", "!", ")"):
            break
        root = a
        break
    peeled: list[Inner | Script | Opaque] = []
    j = 1
    while j < len(argv):
        if argv[j] in ("-exec", "-execdir", "-ok", "-okdir"):
            k = j + 1
            while k < len(argv) and argv[k] not in (";", "+", "\\;"):
                k += 1
            words = tuple((root.rstrip("/") + "/{}" if w == "{}" else w) for w in argv[j + 1 : k])
            if words:
                sub = replace(cmd, argv=words, dynamic=frozenset(), via=(*cmd.via, "find"))
                peeled.append(Inner(sub))
            j = k + 1
            continue
        j += 1
    if not peeled:
        return None
    return [*peeled, Inner(cmd, own_op=True)]


def _peel_docker_exec(cmd: Command) -> Peel | None:
    argv = cmd.argv
    start = _subcommand_index(
        argv,
        ("exec",),
        frozenset({"-H", "--host", "--context", "-c", "--config", "-l", "--log-level"}),
    )
    if start is None:
        return None
    i = _skip_options(argv, start + 1, _DOCKER_EXEC_OPTS)
    if i >= len(argv) - 1:
        return None
    container = argv[i]
    inner = cmd.shifted(i + 1, via=f"{cmd.program} exec")
    return [
        Inner(replace(inner, host=f"container:{container}"), own_op=False),
        Inner(cmd, own_op=True),
    ]


def _peel_kubectl_exec(cmd: Command) -> Peel | None:
    argv = cmd.argv
    start = _subcommand_index(argv, ("exec",), _KUBECTL_EXEC_OPTS)
    if start is None or "--" not in argv[start:]:
        return None
    dash = argv.index("--", start)
    pod = None
    j = start + 1
    while j < dash:
        a = argv[j]
        if a in _KUBECTL_EXEC_OPTS:
            j += 2
            continue
        if not a.startswith("-") and pod is None:
            pod = a
        j += 1
    ctx = _flag_value(argv, ("--context",)) or ""
    host = f"{ctx}/{pod}" if ctx else f"pod:{pod}"
    if dash + 1 >= len(argv):
        return None
    inner = cmd.shifted(dash + 1, via=f"{cmd.program} exec")
    return [Inner(replace(inner, host=host)), Inner(cmd, own_op=True)]


def _flag_value(argv: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    for j, a in enumerate(argv):
        for n in names:
            if a == n and j + 1 < len(argv):
                return argv[j + 1]
            if a.startswith(n + "="):
                return a[len(n) + 1 :]
    return None


def _subcommand_index(
    argv: tuple[str, ...], subs: tuple[str, ...], takes: frozenset[str]
) -> int | None:
    i = 1
    while i < len(argv):
        a = argv[i]
        if a in takes:
            i += 2
            continue
        if a.startswith("-"):
            i += 1
            continue
        return i if a in subs else None
    return None


def _peel_launcher(cmd: Command, prog: str) -> Peel:
    takes = _LAUNCHERS[(prog, cmd.argv[1])]
    if prog == "docker":
        return _peel_compose_exec(cmd)
    env = cmd.env
    i = _skip_options(cmd.argv, 2, takes)
    if prog in ("direnv", "chamber", "aws-vault") and i < len(cmd.argv):
        if prog == "aws-vault":
            env = (*env, ("AWS_PROFILE", cmd.argv[i]))
        i = _skip_options(cmd.argv, i + 1, takes)
    if prog == "nix-shell":
        return Script(cmd.argv[2] if len(cmd.argv) > 2 else "", _via(cmd, "nix-shell"))
    return _inner(cmd, i, f"{prog} {cmd.argv[1]}", env=env)


def _peel_compose_exec(cmd: Command) -> Peel:
    argv = cmd.argv
    for j, a in enumerate(argv[2:], start=2):
        if a in ("exec", "run"):
            i = _skip_options(
                argv,
                j + 1,
                _DOCKER_EXEC_OPTS | {"--index", "-p", "--publish", "--name", "-v", "--volume"},
            )
            if i + 1 < len(argv):
                inner = cmd.shifted(i + 1, via="docker compose " + a)
                return [Inner(replace(inner, host=f"container:{argv[i]}")), Inner(cmd, own_op=True)]
            break
        if not a.startswith("-"):
            break
    return Inner(cmd, own_op=True)


def _peel_trap(cmd: Command) -> Peel:
    if len(cmd.argv) >= 2 and not cmd.argv[1].startswith("-"):
        return Script(cmd.argv[1], _via(cmd, "trap"), dynamic=cmd.is_dynamic(1))
    return Inner(Command(argv=("true",), text=cmd.text))


_SPECIAL = {
    "env": _peel_env,
    "eval": _peel_eval,
    "ssh": _peel_ssh,
    "su": _peel_su,
    "sg": _peel_script_flag(("-c",), "sg"),
    "script": _peel_script_flag(("-c", "--command"), "script"),
    "sops": _peel_sops,
    "watch": _peel_watch,
    "xargs": _peel_xargs,
    "parallel": _peel_parallel,
    "find": _peel_find,
    "docker": _peel_docker_exec,
    "podman": _peel_docker_exec,
    "nerdctl": _peel_docker_exec,
    "kubectl": _peel_kubectl_exec,
    "oc": _peel_kubectl_exec,
    "trap": _peel_trap,
}


def is_wrapper_name(word: str) -> bool:
    p = program_name(word)
    return p in _SIMPLE or p in _SPECIAL or p in SHELLS
