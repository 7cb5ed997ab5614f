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

from dataclasses import replace

from interlock.model import Command, program_name
from interlock.parse import unwrap_jobs
from interlock.parse.unwrap_base import (
    SHELLS,
    Inner,
    Opaque,
    Peel,
    Script,
    has_any,
    inner_at,
    noop,
    skip_options,
    via,
)

__all__ = ["SHELLS", "Inner", "Opaque", "Peel", "Script", "is_wrapper_name", "peel"]

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
    "run0": (
        frozenset(
            "-u -g -D --user --group --chdir --setenv --unit --property --description --slice "
            "--nice --machine --background".split()
        ),
        0,
    ),
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

# shell builtins that only steer the script itself
_NOOP_BUILTINS = frozenset({"break", "continue", ":", "disown", "suspend"})
_SSH_VALUE_OPTS = frozenset(
    "-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B".split()
)
_HEREDOC_END = "INTERLOCK_EOF"
_PRIVILEGED_SHELL = ("-i", "-s", "--login", "--shell")
_ENV_TAKES = frozenset({"-u", "--unset", "-C", "--chdir", "-P", "--default-signal"})


def peel(cmd: Command) -> Peel | None:
    """How to see through `cmd` when it is a wrapper; None when it is not."""
    prog = cmd.program
    if prog in _NOOP_BUILTINS:
        return noop(cmd)
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


def _peel_simple(cmd: Command, prog: str) -> Peel:
    takes_value, skip = _SIMPLE[prog]
    i = skip_options(cmd.argv, 1, takes_value)
    if prog in ("sudo", "doas", "pkexec", "run0") and i >= len(cmd.argv):
        if cmd.stdin is not None and has_any(cmd, _PRIVILEGED_SHELL):
            return Script(cmd.stdin, via(cmd, prog))  # `sudo -s <<< 'cmd'`
        if has_any(cmd, _PRIVILEGED_SHELL) or _bundled(cmd, "is"):
            return Opaque(f"`{prog}` opens a root shell", ("interactive", "privileged"))
        if has_any(
            cmd,
            (
                "-l",
                "--list",
                "-v",
                "--validate",
                "-k",
                "-K",
                "--reset-timestamp",
                "--remove-timestamp",
                "-V",
                "--version",
                "-h",
                "--help",
            ),
        ):
            return noop(cmd)  # `sudo -l` lists privileges, `-v`/`-k` touch the credential cache
    if prog == "command" and any(a in ("-v", "-V") for a in cmd.argv[1:i]):
        return noop(cmd)  # `command -v kubectl` looks a name up; `command ls -v` runs ls
    return inner_at(cmd, i + skip, prog)


def _bundled(cmd: Command, letters: str) -> bool:
    return any(
        a.startswith("-") and not a.startswith("--") and any(ch in a[1:] for ch in letters)
        for a in cmd.argv[1:]
    )


def _peel_env(cmd: Command) -> Peel:
    argv = cmd.argv
    i = 1
    env = list(cmd.env)
    cwd = cmd.cwd
    while i < len(argv):
        a = argv[i]
        if a in _ENV_TAKES:
            if a in ("-C", "--chdir") and i + 1 < len(argv):
                cwd = _chdir(cwd, argv[i + 1])
            i += 2
        elif a.startswith("--chdir="):
            cwd = _chdir(cwd, a.split("=", 1)[1])
            i += 1
        elif a in ("-S", "--split-string") or a.startswith("--split-string="):
            first = (a.split("=", 1)[1],) if "=" in a else ()
            rest = " ".join((*first, *argv[i + 1 :]))
            return Script(rest, replace(cmd, env=tuple(env), cwd=cwd, via=(*cmd.via, "env")))
        elif a.startswith("-") and not a.startswith("--") and "S" in a[1:]:
            # `-iS 'cmd'`, `-S'cmd'`: the split string follows the S in the bundle
            tail = a[a.index("S") + 1 :]
            rest = " ".join(((tail,) if tail else ()) + argv[i + 1 :])
            return Script(rest, replace(cmd, env=tuple(env), cwd=cwd, via=(*cmd.via, "env")))
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
    if i >= len(argv):
        return Inner(Command(argv=("printenv",), text=cmd.text))  # `env` alone prints it
    return inner_at(cmd, i, "env", env=tuple(env), cwd=cwd)


def _chdir(cwd: str | None, target: str) -> str:
    if target.startswith("/") or cwd is None:
        return target
    return cwd.rstrip("/") + "/" + target


def _peel_shell(cmd: Command) -> Peel:
    argv = cmd.argv
    i = 1
    check_only = False
    while i < len(argv):
        a = argv[i]
        if a in ("-c", "--command") or (
            a.startswith("-") and not a.startswith("--") and "c" in a[1:]
        ):
            if i + 1 >= len(argv):
                return Opaque(f"`{cmd.program} -c` without a script")
            dyn = cmd.is_dynamic(i + 1)
            return Script(argv[i + 1], via(cmd, cmd.program), dynamic=dyn)
        if a in ("--rcfile", "--init-file") or (
            a[:1] in "-+" and a[1:2] != "-" and a[-1:] in ("o", "O")
        ):  # `-o pipefail`, and bundled `-euxo pipefail`
            check_only = check_only or (a == "-o" and argv[i + 1 : i + 2] == ("noexec",))
            i += 2
            continue
        if a == "--":
            i += 1
            break
        if a.startswith(("-", "+")):
            check_only = check_only or (a.startswith("-") and "n" in a[1:] and a[1] != "-")
            i += 1
            continue
        break
    if check_only:
        return noop(cmd)  # `bash -n x.sh` only checks the syntax
    if i < len(argv):
        return Opaque(f"runs the script file `{argv[i]}`", ("script-file",), script=argv[i])
    script = next((path for op, path in cmd.redirects if op == "<"), None)
    if cmd.stdin is None and not cmd.stdin_piped and script:
        return Opaque(f"runs the script file `{script}`", ("script-file",), script=script)
    if cmd.stdin is not None:
        return Script(cmd.stdin, via(cmd, cmd.program))
    if cmd.stdin_piped:
        return Opaque("runs shell code read from a pipe", ("piped-code",))
    return Opaque(f"opens an interactive `{cmd.program}`", ("interactive",))


def _peel_eval(cmd: Command) -> Peel:
    if len(cmd.argv) < 2:
        return noop(cmd)
    dyn = any(cmd.is_dynamic(i) for i in range(1, len(cmd.argv)))
    return Script(" ".join(cmd.argv[1:]), via(cmd, "eval"), dynamic=dyn)


def _peel_ssh(cmd: Command) -> Peel:
    argv = cmd.argv
    i = skip_options(argv, 1, _SSH_VALUE_OPTS)
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
    text = " ".join(rest)
    if cmd.stdin is not None and _HEREDOC_END not in cmd.stdin:
        # `ssh host sudo bash -s <<EOF`, `ssh host psql <<EOF`: the input goes to the remote
        # command, so hand it over as a heredoc of its own
        body = cmd.stdin if cmd.stdin.endswith("\n") else cmd.stdin + "\n"
        text = f"{text} <<'{_HEREDOC_END}'\n{body}{_HEREDOC_END}\n"
    return Script(text, nested, dynamic=dyn)


def _peel_su(cmd: Command) -> Peel:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a in ("-c", "--command") and j + 1 < len(argv):
            return Script(argv[j + 1], via(cmd, "su"), dynamic=cmd.is_dynamic(j + 1))
        if a.startswith("--command="):
            return Script(a.split("=", 1)[1], via(cmd, "su"))
    if cmd.stdin is not None:
        return Script(cmd.stdin, via(cmd, "su"))
    return Opaque("`su` opens a shell as another user", ("interactive", "privileged"))


def _peel_script_flag(flag: tuple[str, ...], name: str) -> object:
    short = [f[1] for f in flag if len(f) == 2]

    def peel_it(cmd: Command) -> Peel | None:
        argv = cmd.argv
        for j, a in enumerate(argv[1:], start=1):
            bundled = a.startswith("-") and not a.startswith("--") and a[-1:] in short
            if (a in flag or bundled) and j + 1 < len(argv):
                return Script(argv[j + 1], via(cmd, name), dynamic=cmd.is_dynamic(j + 1))
        return None

    return peel_it


def _peel_sops(cmd: Command) -> Peel | None:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a in ("exec-env", "exec-file") and j + 2 < len(argv):
            return Script(argv[j + 2], via(cmd, "sops"), dynamic=cmd.is_dynamic(j + 2))
    return None


def _peel_watch(cmd: Command) -> Peel:
    i = skip_options(cmd.argv, 1, frozenset({"-n", "--interval", "-d", "--differences", "-q"}))
    if i >= len(cmd.argv):
        return Opaque("`watch` with no command")
    return Script(" ".join(cmd.argv[i:]), via(cmd, "watch"))


def _peel_launcher(cmd: Command, prog: str) -> Peel:
    takes = _LAUNCHERS[(prog, cmd.argv[1])]
    if prog == "docker":
        return unwrap_jobs.peel_compose_exec(cmd)
    env = cmd.env
    i = skip_options(cmd.argv, 2, takes)
    if prog in ("direnv", "chamber", "aws-vault") and i < len(cmd.argv):
        if prog == "aws-vault":
            env = (*env, ("AWS_PROFILE", cmd.argv[i]))
        i = skip_options(cmd.argv, i + 1, takes)
    if prog == "nix-shell":
        return Script(cmd.argv[2] if len(cmd.argv) > 2 else "", via(cmd, "nix-shell"))
    return inner_at(cmd, i, f"{prog} {cmd.argv[1]}", env=env)


def _peel_trap(cmd: Command) -> Peel:
    if len(cmd.argv) >= 2 and not cmd.argv[1].startswith("-"):
        return Script(cmd.argv[1], via(cmd, "trap"), dynamic=cmd.is_dynamic(1))
    return noop(cmd)


_SPECIAL = {
    "env": _peel_env,
    "eval": _peel_eval,
    "ssh": _peel_ssh,
    "su": _peel_su,
    "sg": _peel_script_flag(("-c",), "sg"),
    "script": _peel_script_flag(("-c", "--command"), "script"),
    "sops": _peel_sops,
    "watch": _peel_watch,
    "trap": _peel_trap,
    **unwrap_jobs.HANDLERS,
}


def is_wrapper_name(word: str) -> bool:
    p = program_name(word)
    return p in _SIMPLE or p in _SPECIAL or p in SHELLS
