"""The git family: `git` and the code-hosting CLIs `gh`, `glab` and `hub`.

git's global options (`-C dir`, `-c k=v`, `--git-dir`, `--work-tree`, `--no-pager` …) are read
before the subcommand. Values git would run as commands (`-c core.pager=…`, `alias.x=!…`,
`GIT_SSH_COMMAND`) are analyzed as shell code. Subcommands dispatch through `_HANDLERS`; the
rest are classified by the read/write tables in `git_misc`. An unknown subcommand is an alias
or an extension we cannot see: `unknown`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools import git_local as lo
from interlock.parse.tools import git_misc as mi
from interlock.parse.tools import git_refs as rf
from interlock.parse.tools.git_common import Call, make_op, parse, words, wordset
from interlock.parse.tools.git_push import analyze_push
from interlock.parse.unwrap_remote import runs_locally

Handler = Callable[[Call], list[Operation]]

_GLOBAL_TAKES = wordset(
    "-C -c --git-dir --work-tree --namespace --config-env --super-prefix --attr-source"
)
_INFO = wordset("--version -v --help -h --html-path --man-path --info-path --exec-path --list-cmds")
# Config keys and environment variables whose value git runs as a shell command.
_EXEC_KEYS = wordset(
    "core.pager core.sshcommand core.editor core.askpass core.fsmonitor sequence.editor "
    "diff.external credential.helper gpg.program uploadpack.packobjectshook core.gitproxy"
)
_EXEC_SUFFIXES = (".textconv", ".clean", ".smudge", ".process", ".driver", ".command")
_EXEC_ENV = words(
    "GIT_SSH_COMMAND GIT_SSH GIT_PAGER GIT_EDITOR GIT_SEQUENCE_EDITOR GIT_EXTERNAL_DIFF "
    "GIT_ASKPASS GIT_PROXY_COMMAND"
)
_BENIGN_HELPERS = wordset(
    "ssh plink less more most cat delta diff-so-fancy diff-highlight bat vim vi nvim nano emacs "
    "emacsclient code subl mate true : head tail gpg gpg2 git meld kdiff3 vimdiff opendiff "
    "ydiff riff cat-file git-credential-manager git-credential-osxkeychain store cache "
    "osxkeychain manager manager-core libsecret gh ksshaskpass ssh-askpass"
)
_SHELL_META = frozenset(";|&$`<>()\n")
_ALIASES = {
    "co": "checkout", "br": "branch", "ci": "commit", "st": "status", "lg": "log",
    "hist": "log", "last": "log", "df": "diff", "dc": "diff", "sw": "switch", "cp": "cherry-pick",
}  # fmt: skip

_HANDLERS: dict[str, Handler] = {
    "push": analyze_push, "reset": lo.reset, "clean": lo.clean, "checkout": lo.checkout,
    "switch": lo.switch, "restore": lo.restore, "stash": lo.stash, "rm": lo.rm,
    "checkout-index": lo.checkout_index, "branch": rf.branch, "tag": rf.tag,
    "update-ref": rf.update_ref, "reflog": rf.reflog, "gc": rf.gc, "prune": rf.prune,
    "worktree": rf.worktree, "submodule": rf.submodule, "filter-branch": rf.filter_branch,
    "filter-repo": rf.filter_repo, "lfs": rf.lfs, "config": mi.config, "remote": mi.remote,
    "fetch": mi.fetch, "commit": mi.commit, "rebase": mi.rebase, "apply": mi.apply,
    "archive": mi.archive, "format-patch": mi.format_patch, "clone": mi.clone,
}  # fmt: skip
for _sub in words("notes bundle sparse-checkout rerere replace bisect credential symbolic-ref"):
    _HANDLERS[_sub] = mi.by_verb
_PROGRAM_SUBS = {"git-lfs": "lfs", "git-filter-repo": "filter-repo"}


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if prog in ("gh", "glab", "hub"):
        from interlock.parse.tools.git_hosting import analyze_hosting

        return analyze_hosting(cmd, ctx, analyze_git)
    if prog in _PROGRAM_SUBS:
        call = Call(cmd, ctx, _PROGRAM_SUBS[prog], cmd.argv[1:], 1, cmd.cwd or ".")
        return dispatch(call)
    return analyze_git(cmd, ctx)


def analyze_git(cmd: Command, ctx: Context) -> list[Operation]:
    """`git [global options] <subcommand> [args]` (also `hub`, which passes through to git)."""
    argv = cmd.argv
    i, dirs, config = 1, [], []
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        name, eq, val = argv[i].partition("=")
        if name in _INFO and not (eq and name in ("--exec-path", "--list-cmds")):
            return [make_op(cmd, "help", Effect.READ, (), (), "prints git information")]
        if argv[i] in _GLOBAL_TAKES:
            val = argv[i + 1] if i + 1 < len(argv) else ""
            i += 1
        elif not (eq and name in _GLOBAL_TAKES):
            i += 1
            continue
        _record(name, val, dirs, config)
        i += 1
    if i >= len(argv):
        return [make_op(cmd, "help", Effect.READ, (), (), "prints git usage")]
    workdir = "/".join(dirs) if dirs else (cmd.cwd or ".")
    call = Call(cmd, ctx, argv[i], argv[i + 1 :], i + 1, workdir, tuple(config))
    if cmd.is_dynamic(i):
        return [
            call.op(
                "run",
                Effect.UNKNOWN,
                [call.local()],
                {"dynamic-target"},
                "runs a git subcommand chosen at run time",
            )
        ]
    return _exec_hooks(call) + dispatch(call)


def _record(name: str, val: str, dirs: list[str], config: list[tuple[str, str]]) -> None:
    if name in ("-C", "--work-tree") and val:
        dirs.append(val)
    elif name in ("-c", "--config-env"):
        key, _, value = val.partition("=")
        config.append((key.lower(), value))


def dispatch(call: Call) -> list[Operation]:
    sub, args = call.sub, call.args
    # git shows help only for `git sub --help …` or a lone `git sub -h`; elsewhere the word may be
    # an option's value (`push -o -h --force`), so it proves nothing.
    if args[:1] == ("--help",) or args == ("-h",) or args == ("--tool-help",):
        return [call.op("help", Effect.READ, (), (), f"shows help for git {sub}")]
    alias = call.conf("alias." + sub.lower())
    if alias is not None:
        return _alias(call, alias)
    sub = _ALIASES.get(sub, sub)
    call = replace(call, sub=sub)
    handler = _HANDLERS.get(sub)
    if handler is not None:
        return handler(call)
    if sub in mi.READ_SUBS:
        return mi.plain(call, Effect.READ)
    if sub in mi.WRITE_SUBS:
        return _subtree(call) if sub == "subtree" else mi.plain(call, Effect.WRITE)
    summary = f"runs `git {sub}`, an alias or extension Interlock cannot see"
    return [call.op(sub, Effect.UNKNOWN, [call.local()], (), summary)]


def _alias(call: Call, value: str) -> list[Operation]:
    if value.startswith("!"):
        script = " ".join((value[1:], *call.args))
        op = call.op("alias", Effect.UNKNOWN, [call.local()], (), f"runs shell alias `{call.sub}`")
        return [op, *call.ctx.shell(script, call.cmd)]
    words = value.split()
    if not words or words[0] == call.sub:
        return [call.op("alias", Effect.UNKNOWN, [call.local()], (), f"runs alias `{call.sub}`")]
    config = tuple(kv for kv in call.config if kv[0] != "alias." + call.sub.lower())
    inner = replace(call, sub=words[0], args=(*words[1:], *call.args), config=config)
    return dispatch(inner)


def _config(call: Call) -> list[Operation]:
    """`git config alias.x '!rm -rf ~'`, `core.pager …`: git runs the value later, so the code
    is judged now (tag `stored-code`)."""
    ops = mi.config(call)
    pos = parse(call.args, mi.CONFIG_TAKES, bundle=False).pos
    pos = pos[1:] if pos[:1] == ["set"] else pos
    if ops[0].effect is not Effect.WRITE or len(pos) < 2:
        return ops
    key, value = pos[0].lower(), pos[1]
    runs = (key.startswith("alias.") and value.startswith("!")) or _is_exec_key(key)
    if runs and not _benign(value):
        found = call.ctx.shell(value.removeprefix("!"), call.cmd)
        ops += [o.with_tags("stored-code") for o in found]
    return ops


_HANDLERS["config"] = _config


def _subtree(call: Call) -> list[Operation]:
    if call.args[:1] != ("push",):
        return mi.plain(call, Effect.WRITE)
    pos = [a for a in call.args[1:] if not a.startswith("-")]
    return analyze_push(replace(call, sub="push", args=tuple(pos[:2])))


def _exec_hooks(call: Call) -> list[Operation]:
    """Shell commands git would run because of `-c key=value` or `GIT_*` variables."""
    scripts = [v for k, v in call.config if _is_exec_key(k)]
    scripts += [v for v in (call.cmd.getenv(n) for n in _EXEC_ENV) if v]
    ops: list[Operation] = []
    for script in scripts:
        if not _benign(script):
            ops += call.ctx.shell(script.removeprefix("!"), call.cmd)
    hooks = call.conf("core.hookspath")
    if hooks and hooks not in ("/dev/null", "", "NUL"):
        ops.append(
            call.op(
                "hooks",
                Effect.UNKNOWN,
                [call.local("path", hooks)],
                (),
                f"runs git hooks from `{hooks}`",
            )
        )
    return ops


def _is_exec_key(key: str) -> bool:
    return key in _EXEC_KEYS or key.startswith("pager.") or key.endswith(_EXEC_SUFFIXES)


def _benign(script: str) -> bool:
    words = script.removeprefix("!").split()
    if not words or any(ch in _SHELL_META for ch in script):
        return not words
    if "command" in script.lower() and runs_locally(script):
        return False  # `ssh -o ProxyCommand=…`: ssh runs that here, so judge the line
    return words[0].rsplit("/", 1)[-1] in _BENIGN_HELPERS
