"""Peelers for commands that run other commands over inputs, later, or somewhere else:
`xargs`, `parallel`, `find -exec`, `at`/`batch`, `coproc`, `flock`, `runuser`, and
`docker exec` / `kubectl exec` / `compose exec`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from interlock.model import Command
from interlock.parse.unwrap_base import (
    Inner,
    Opaque,
    Peel,
    Script,
    flag_value,
    inner_at,
    noop,
    skip_options,
    stdin_script,
    subcommand_index,
    via,
)

MAX_ITEMS = 20  # items fed to a per-item wrapper that we expand one by one
_XARGS_TAKES = frozenset(
    "-a -E -e -I -i -L -l -n -P -s -d --arg-file --delimiter --max-args "
    "--max-procs --max-lines --replace --eof --max-chars --process-slot-var".split()
)
_XARGS_FLAGS = frozenset("0rtpxo")  # short options without a value, bundled as in `-0r`
_PARALLEL_TAKES = frozenset(
    "-j --jobs -S --sshlogin -a --arg-file --delay --timeout -I --results --joblog "
    "-d --delimiter -n --max-args -N --colsep -C --tmpdir --workdir --wd".split()
)
_PARALLEL_SEPS = frozenset({":::", "::::", ":::+", "::::+"})
_PARALLEL_SLOT = re.compile(r"\{(?:\d+)?(?:\.|/|//|/\.|#|%)?\}")
_DOCKER_GLOBAL = frozenset({"-H", "--host", "--context", "-c", "--config", "-l", "--log-level"})
_DOCKER_EXEC_OPTS = frozenset("-e --env --env-file -u --user -w --workdir --detach-keys".split())
_KUBECTL_EXEC_OPTS = frozenset(
    "-n --namespace -c --container --context --cluster --kubeconfig -s --server --user --as "
    "--pod-running-timeout --request-timeout -f --filename --token".split()
)
_AT_INFO = frozenset({"-l", "-r", "-d", "-c", "-V", "--help"})
_FLOCK_TAKES = frozenset({"-w", "--timeout", "-E", "--conflict-exit-code"})
# an editor command that runs a shell command: `:!cmd`, `:r !cmd`, `:w !cmd`, `system("cmd")`
_VIM_BANG = re.compile(r"^[\s:]*(?:[\d%.$,]*\s*(?:r(?:ead)?|w(?:rite)?)?\s*)!(.+)$", re.S)
_VIM_SYSTEM = re.compile(r"system\(\s*([\"'])(.+?)\1\s*\)")
_RUNUSER_TAKES = frozenset({"-u", "-g", "-G", "--user", "--group", "--supp-group", "-s", "-w"})


# -- xargs and parallel ------------------------------------------------------------------


def peel_xargs(cmd: Command) -> Peel:
    i = skip_options(cmd.argv, 1, _XARGS_TAKES)
    if i >= len(cmd.argv):
        return Inner(Command(argv=("echo",), text=cmd.text))
    slot = _xargs_slot(cmd.argv[1:i])
    sep = _xargs_sep(cmd.argv[1:i])
    inner = replace(cmd.shifted(i, via="xargs"), stdin=None, stdin_piped=False)
    items = _xargs_items(cmd.stdin, sep) if cmd.stdin is not None else None
    if slot is None:
        if items is not None:  # `echo | xargs cmd` runs `cmd` once with no added words
            return Inner(replace(inner, argv=(*inner.argv, *items)))
        # INVARIANT: xargs appends words read from stdin; they are unknown, so mark them dynamic.
        n = len(inner.argv)
        return Inner(replace(inner, argv=(*inner.argv, "{xargs}"), dynamic=inner.dynamic | {n}))
    lines = [ln.strip() for ln in (cmd.stdin or "").split(sep or "\n") if ln.strip()]
    if lines:  # `-I {}` takes whole lines, not words
        return [Inner(_fill(inner, slot, line)) for line in lines[:MAX_ITEMS]]
    return Inner(_fill(inner, slot, "{xargs}", dynamic=True))


def _xargs_sep(opts: tuple[str, ...]) -> str | None:
    """The item separator `-0` / `-d X` names; None for blanks and newlines."""
    for j, a in enumerate(opts):
        if a == "--null" or (a[:1] == "-" and "0" in a and set(a[1:]) <= _XARGS_FLAGS):
            return "\0"
        if a in ("-d", "--delimiter") and j + 1 < len(opts):
            return opts[j + 1].replace("\\n", "\n").replace("\\t", "\t")[:1] or None
        if a.startswith("--delimiter="):
            return a.split("=", 1)[1][:1] or None
    return None


def _xargs_items(data: str, sep: str | None) -> tuple[str, ...]:
    found = data.split(sep) if sep else data.split()
    return tuple(w for w in found if w)[:1000]


def _xargs_slot(opts: tuple[str, ...]) -> str | None:
    for j, a in enumerate(opts):
        if a in ("-I", "--replace") and j + 1 < len(opts):
            return opts[j + 1]
        if a.startswith("--replace="):
            return a.split("=", 1)[1] or "{}"
        if a.startswith("-I") and len(a) > 2:
            return a[2:]
        if a == "-i" or a.startswith("-i"):
            return a[2:] or "{}"
    return None


def _fill(cmd: Command, slot: str, value: str, dynamic: bool = False) -> Command:
    argv = tuple(a.replace(slot, value) for a in cmd.argv)
    dyn = set(cmd.dynamic)
    if dynamic:
        dyn |= {j for j, a in enumerate(cmd.argv) if slot in a}
    return replace(cmd, argv=argv, dynamic=frozenset(dyn))


def peel_parallel(cmd: Command) -> Peel:
    argv = cmd.argv
    end = next((j for j, a in enumerate(argv) if a in _PARALLEL_SEPS), len(argv))
    items = [a for a in argv[end + 1 :] if a not in _PARALLEL_SEPS]
    if end < len(argv) and argv[end].startswith("::::"):
        items = []  # `::::` names files holding the arguments
    elif end == len(argv) and cmd.stdin is not None:
        items = cmd.stdin.split("\n")
    items = [a for a in items if a.strip()][:MAX_ITEMS]
    i = skip_options(argv[:end], 1, _PARALLEL_TAKES)
    base = via(cmd, "parallel")
    if i >= end:
        if items:
            return [Script(a, base) for a in items]  # each argument is a command line
        return Opaque("`parallel` runs commands read from its input", ("piped-code",))
    template = " ".join(argv[i:end])
    if not _PARALLEL_SLOT.search(template):
        template += " {}"
    if not items:
        return Script(_PARALLEL_SLOT.sub('"$PARALLEL_ARG"', template), base)
    return [Script(_PARALLEL_SLOT.sub(_quote(a), template), base) for a in items]


def _quote(word: str) -> str:
    import shlex

    return shlex.quote(word).replace("\\", "\\\\")


# -- find -exec --------------------------------------------------------------------------


def peel_find(cmd: Command) -> Peel | None:
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
            words = tuple(_fill_found(w, root, argv) for w in argv[j + 1 : k])
            if words:
                sub = replace(cmd, argv=words, dynamic=frozenset(), via=(*cmd.via, "find"))
                peeled.append(Inner(sub))
            j = k + 1
            continue
        j += 1
    if not peeled:
        return None
    return [*peeled, Inner(cmd, own_op=True)]


def _fill_found(word: str, root: str, argv: tuple[str, ...]) -> str:
    """An `-exec` word with find's `{}` filled in: `ROOT/{}` for the bare word (the analyzer
    reads find's expression from the text); inside a word (`sh -c 'rm -rf {}'`, which GNU find
    fills in too) ROOT itself when nothing narrows the match, since find visits ROOT first."""
    if word == "{}" or "{}" not in word:
        return root.rstrip("/") + "/{}" if word == "{}" else word
    from interlock.parse.tools import fs_find

    narrowed = fs_find.filtered(fs_find.split(argv[1:])[1])
    return word.replace("{}", root.rstrip("/") + "/{}" if narrowed else root)


# -- later, elsewhere, under a lock or another user --------------------------------------


def peel_at(cmd: Command) -> Peel | None:
    """`at now <<< 'cmd'`, `echo cmd | batch`: the input is a shell script run later."""
    argv = cmd.argv
    if any(a in _AT_INFO for a in argv[1:]):
        return None  # listing, removing or printing jobs
    script = flag_value(argv, ("-f",))
    if script is not None:
        return Opaque(f"schedules the script file `{script}`", ("script-file", "scheduled"))
    return stdin_script(cmd, cmd.program, "schedules")


def peel_coproc(cmd: Command) -> Peel:
    """`coproc cmd`, `coproc NAME { …; }` (the group's body is walked by the walker)."""
    words = cmd.argv[1:]
    start = 1
    if len(words) >= 2 and words[1] in ("{", "("):
        start = 2
    if start < len(cmd.argv) and cmd.argv[start] in ("{", "("):
        start += 1
    if start >= len(cmd.argv) or (start == 2 and len(words) == 1):
        return noop(cmd)
    return inner_at(cmd, start, "coproc")


def peel_flock(cmd: Command) -> Peel:
    """`flock [opts] FILE CMD …`, `flock [opts] FILE -c 'CMD'`, `flock [opts] FD`."""
    argv = cmd.argv
    i = 1
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        if argv[i] in ("-c", "--command") and i + 1 < len(argv):
            return Script(argv[i + 1], via(cmd, "flock"), dynamic=cmd.is_dynamic(i + 1))
        i += 2 if argv[i] in _FLOCK_TAKES else 1
    i += 1 + (i < len(argv) and argv[i] == "--")  # past the lock file
    if i < len(argv) and argv[i] in ("-c", "--command") and i + 1 < len(argv):
        return Script(argv[i + 1], via(cmd, "flock"), dynamic=cmd.is_dynamic(i + 1))
    if i >= len(argv):
        return noop(cmd)  # `flock 9`: locks a descriptor for the commands around it
    return inner_at(cmd, i, "flock")


def peel_runuser(cmd: Command) -> Peel:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a in ("-c", "--command") and j + 1 < len(argv):
            return Script(argv[j + 1], via(cmd, "runuser"), dynamic=cmd.is_dynamic(j + 1))
        if a.startswith("--command="):
            return Script(a.split("=", 1)[1], via(cmd, "runuser"))
    if any(a in ("-u", "--user") or a.startswith("--user=") for a in argv[1:]):
        return inner_at(cmd, skip_options(argv, 1, _RUNUSER_TAKES), "runuser")
    return Opaque("`runuser` opens a shell as another user", ("interactive", "privileged"))


def peel_editor(cmd: Command) -> Peel | None:
    """`vim -c '!rm -rf /'`, `nvim +':r !curl …'`: editor commands that reach the shell."""
    argv = cmd.argv
    found: list[Inner | Script | Opaque] = []
    for j, a in enumerate(argv[1:], start=1):
        if a in ("-c", "--cmd") and j + 1 < len(argv):
            line = argv[j + 1]
        elif a.startswith("+") and len(a) > 1:
            line = a[1:]
        else:
            continue
        m = _VIM_BANG.match(line)
        texts = [m[1]] if m else [s[1] for s in _VIM_SYSTEM.findall(line)]
        found.extend(Script(t, via(cmd, cmd.program)) for t in texts)
    return [*found, Inner(cmd, own_op=True)] if found else None


# -- containers and pods -----------------------------------------------------------------


def peel_docker_exec(cmd: Command) -> Peel | None:
    argv = cmd.argv
    start = subcommand_index(argv, ("exec", "container"), _DOCKER_GLOBAL)
    if start is not None and argv[start] == "container":
        start = start + 1 if start + 1 < len(argv) and argv[start + 1] == "exec" else None
    if start is None:
        return None
    i = skip_options(argv, start + 1, _DOCKER_EXEC_OPTS)
    if i >= len(argv) - 1:
        return None
    container = argv[i]
    inner = cmd.shifted(i + 1, via=f"{cmd.program} exec")
    return [
        Inner(replace(inner, host=f"container:{container}"), own_op=False),
        Inner(cmd, own_op=True),
    ]


def peel_kubectl_exec(cmd: Command) -> Peel | None:
    argv = cmd.argv
    # `exec pod -- cmd`, `oc rsh pod cmd`; `run name --image=x -- cmd` and
    # `debug node/x -- cmd` start a pod that runs the command
    start = subcommand_index(argv, ("exec", "run", "debug", "rsh"), _KUBECTL_EXEC_OPTS)
    if start is None:
        return None
    if argv[start] == "rsh":
        k = skip_options(argv, start + 1, _KUBECTL_EXEC_OPTS | {"--shell", "--timeout"})
        pod, at = (argv[k] if k < len(argv) else None), k + 1 + (argv[k + 1 : k + 2] == ("--",))
    elif "--" in argv[start:]:
        at = argv.index("--", start) + 1
        pod = _pod(argv[start + 1 : at - 1])
    else:
        return None
    if at >= len(argv):
        return None
    ctx = flag_value(argv, ("--context",)) or ""
    host = f"{ctx}/{pod}" if ctx else f"pod:{pod}"
    inner = cmd.shifted(at, via=f"{cmd.program} {argv[start]}")
    return [Inner(replace(inner, host=host)), Inner(cmd, own_op=True)]


def _pod(words: tuple[str, ...]) -> str | None:
    """The first word that is not an option or an option's value."""
    j = 0
    while j < len(words):
        if words[j] in _KUBECTL_EXEC_OPTS:
            j += 2
            continue
        if not words[j].startswith("-"):
            return words[j]
        j += 1
    return None


def peel_compose_exec(cmd: Command) -> Peel:
    argv = cmd.argv
    for j, a in enumerate(argv[2:], start=2):
        if a in ("exec", "run"):
            i = skip_options(
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


HANDLERS = {
    "xargs": peel_xargs,
    "parallel": peel_parallel,
    "find": peel_find,
    "at": peel_at,
    "batch": peel_at,
    "coproc": peel_coproc,
    "flock": peel_flock,
    "runuser": peel_runuser,
    **dict.fromkeys(("vim", "vi", "nvim", "ex", "view", "gvim", "vimdiff", "rvim"), peel_editor),
    "docker": peel_docker_exec,
    "podman": peel_docker_exec,
    "nerdctl": peel_docker_exec,
    "kubectl": peel_kubectl_exec,
    "oc": peel_kubectl_exec,
}
