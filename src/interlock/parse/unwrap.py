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
from interlock.parse import unwrap_build, unwrap_jobs, unwrap_remote, unwrap_secrets, unwrap_term
from interlock.parse.unwrap_base import (
    SHELLS,
    STDIN_FILES,
    Inner,
    Opaque,
    Peel,
    Script,
    has_any,
    inner_at,
    noop,
    script_args,
    skip_options,
    stdin_script,
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
    "chronic": (frozenset(), 0),
    "ifne": (frozenset(), 0),
    "eatmydata": (frozenset(), 0),
    "catchsegv": (frozenset(), 0),
    "faketime": (frozenset({"--date-prog"}), 1),
    "lckdo": (frozenset({"-W"}), 1),
    "tini": (frozenset({"-e", "-p"}), 0),
    "dumb-init": (frozenset({"-r", "--rewrite"}), 0),
    "fakeroot": (frozenset({"-l", "--lib", "--faked", "-i", "-s", "-b"}), 0),
    "cgexec": (frozenset({"-g"}), 0),
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
    "ddev": (frozenset(), 0),
}

# shell builtins that only steer the script itself
_NOOP_BUILTINS = frozenset({"break", "continue", ":", "disown", "suspend"})
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
    if len(cmd.argv) > 1 and (prog, cmd.argv[1]) in unwrap_build.LAUNCHERS:
        return unwrap_build.peel_launcher(cmd, prog)
    return None


def _peel_simple(cmd: Command, prog: str) -> Peel:
    takes_value, skip = _SIMPLE[prog]
    call = unwrap_build.peel_call(cmd) if prog == "npx" else None
    if call is not None:
        return call  # `npx -c 'cmd'`
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
    if i + skip >= len(cmd.argv) and _shows_setting(prog, cmd.argv[1:i]):
        return noop(cmd)  # `nice` prints the niceness; `ionice -p 42` shows a process's class
    return inner_at(cmd, i + skip, prog)


def _shows_setting(prog: str, options: tuple[str, ...]) -> bool:
    """`nice`, `time`, and `ionice -p 42`, `chrt -p 42`, `taskset -p 42` with no command:
    they print a setting and run nothing."""
    if prog in ("nice", "time"):
        return True
    if prog not in ("ionice", "chrt", "taskset") or not {"-p", "--pid"} & set(options):
        return False
    return not any(o.startswith(("-c", "-n", "--class")) for o in options)  # ionice -c3: sets


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
        elif cmd.is_dynamic(i) and i + 1 < len(argv):
            # `env $(cat .env | xargs) cmd`: assignments, or the program itself; judge both
            after = inner_at(cmd, i + 1, "env", env=tuple(env), cwd=cwd)
            return [after, inner_at(cmd, i, "env", env=tuple(env), cwd=cwd)]
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
            args = script_args(cmd, i + 2)
            return Script(argv[i + 1], via(cmd, cmd.program), dynamic=dyn, args=args)
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
    if i < len(argv) and argv[i] not in STDIN_FILES:
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
    start = 2 if cmd.argv[1:2] == ("--",) else 1
    words = cmd.argv[start:]
    if not words or (len(words) == 1 and unwrap_build.prints_shell_setup(words[0])):
        return noop(cmd)  # bare `eval`; `eval "$(ssh-agent -s)"` (the walker judges ssh-agent)
    dyn = any(cmd.is_dynamic(i) for i in range(start, len(cmd.argv)))
    return Script(" ".join(words), via(cmd, "eval"), dynamic=dyn)


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


def _peel_watch(cmd: Command) -> Peel:
    i = skip_options(cmd.argv, 1, frozenset({"-n", "--interval", "-d", "--differences", "-q"}))
    if i >= len(cmd.argv):
        return Opaque("`watch` with no command")
    return Script(" ".join(cmd.argv[i:]), via(cmd, "watch"))


def _peel_source(cmd: Command) -> Peel | None:
    """`source /dev/stdin <<< 'cmd'`: the code is the input (other files: the analyzer)."""
    if len(cmd.argv) < 2 or cmd.argv[1] not in STDIN_FILES:
        return None
    return stdin_script(cmd, cmd.program, "runs")


def _peel_trap(cmd: Command) -> Peel:
    k = 2 if cmd.argv[1:2] == ("--",) else 1  # `trap -- 'cmd' EXIT`
    if len(cmd.argv) > k and not cmd.argv[k].startswith("-"):
        return Script(cmd.argv[k], via(cmd, "trap"), dynamic=cmd.is_dynamic(k))
    return noop(cmd)


_SPECIAL = {
    "env": _peel_env,
    "eval": _peel_eval,
    "ssh": unwrap_remote.peel_ssh,
    "su": unwrap_remote.peel_su,
    "sg": _peel_script_flag(("-c",), "sg"),
    "script": _peel_script_flag(("-c", "--command"), "script"),
    "watch": _peel_watch,
    "trap": _peel_trap,
    "source": _peel_source,
    ".": _peel_source,
    "nix-shell": unwrap_build.peel_nix,
    "nix": unwrap_build.peel_nix,
    "make": unwrap_build.peel_make,
    "gmake": unwrap_build.peel_make,
    "mosh": unwrap_remote.peel_mosh,
    "rsync": unwrap_remote.peel_copier,
    "scp": unwrap_remote.peel_copier,
    "sftp": unwrap_remote.peel_copier,
    **unwrap_jobs.HANDLERS,
    **unwrap_term.HANDLERS,
    **dict.fromkeys(unwrap_secrets.RUNNERS, unwrap_secrets.peel_runner),
}


def is_wrapper_name(word: str) -> bool:
    p = program_name(word)
    return p in _SIMPLE or p in _SPECIAL or p in SHELLS
