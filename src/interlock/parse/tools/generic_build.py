"""Build tools, task runners, test runners, linters and formatters.

What they touch is the project on disk: `cargo clean` deletes `target/`, `make build` writes
`build/`. Such operations get a target of tier `LOCAL` (unless the command runs on a remote
host). Tests, linters and checks are reads. A task whose name says it reaches further
(`make deploy-prod`, `make destroy`, `mvn deploy`) is not local: its tier comes from its name.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse import lexicon
from interlock.parse.tools import Context, generic_ci
from interlock.parse.tools.generic import ENV_VARS, cli, env_scope, is_help, op, scan
from interlock.parse.tools.generic_build_tables import (
    _CLEAN_WORDS,
    _D,
    _FIRST_ONLY,
    _FLAT,
    _FMT_INPLACE,
    _FMT_PRINTS,
    _FMT_READ_FLAGS,
    _LOCAL_WORDS,
    _P,
    _PUBLISH_TASKS,
    _PUBLISH_WORDS,
    _R,
    _READ_WORDS,
    _REMOTE_WORDS,
    _SUBCOMMANDS,
    _TASK_VALUE_FLAGS,
    _TASKS,
    _U,
    _W,
    _X,
)

TOOLS = frozenset(_SUBCOMMANDS) | frozenset(_FLAT) | _TASKS | generic_ci.PROGRAMS


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if prog in generic_ci.PROGRAMS:
        return [generic_ci.analyze(cmd)]
    if prog in _TASKS:
        return _tasks(cmd)
    if prog in _FLAT:
        return [_flat(cmd)]
    return [_subcommand(cmd)]


def _local(cmd: Command, name: str) -> Target:
    if cmd.host:
        return Target.make("directory", name, host=cmd.host)
    return Target.make("directory", name, tier=Tier.LOCAL)


def _answer(
    cmd: Command, cat: str, action: str, name: str, tags: set[str], env: str | None = None
) -> Operation:
    prog = cmd.program
    if cat == _R:
        return op(cmd, action, Effect.READ, [_local(cmd, name)], tags, f"`{prog} {action}` reads")
    if cat == _W:
        return op(
            cmd,
            action,
            Effect.WRITE,
            [_local(cmd, name)],
            tags,
            f"`{prog} {action}` writes files in the project",
        )
    if cat == _D:
        return op(
            cmd,
            action,
            Effect.DESTROY,
            [_local(cmd, name)],
            tags,
            f"`{prog} {action}` deletes build outputs or caches",
        )
    env = env or env_scope(cmd)
    target = Target.make("task", name, env=env, host=cmd.host)
    if cat == _X:
        return op(
            cmd, action, Effect.WRITE, [target], tags, f"`{prog} {action}` publishes or deploys"
        )
    if cat == _P:
        summary = f"`{prog} {action}` publishes to a registry"
        return op(cmd, action, Effect.WRITE, [target], tags | {"publish"}, summary)
    if cat == "destroy":
        return op(
            cmd,
            action,
            Effect.DESTROY,
            [target],
            tags,
            f"`{prog} {action}` runs a destructive task",
        )
    return op(cmd, action, Effect.UNKNOWN, [target], tags, f"`{prog} {action}` runs code")


def _subcommand(cmd: Command) -> Operation:
    table = _SUBCOMMANDS[cmd.program]
    parsed = scan(cmd)
    if is_help(cmd, parsed) or "-h" in parsed.flags:
        return _answer(cmd, _R, "help", ".", set())
    for flag in parsed.flags:
        if flag in table and not parsed.pos:
            return _answer(cmd, table[flag], flag.lstrip("-"), ".", set())
    words = [w for _, w in parsed.pos[:2]]
    if cmd.program == "cmake":
        return _answer(cmd, _W, "build", ".", set())
    if not words:
        return _answer(cmd, _U, "run", ".", set())
    key2 = "-".join(words)
    cat = table.get(key2) or table.get(words[0])
    if cat is None:
        return cli(cmd)
    if cat == _U and words[0] == "run" and len(words) > 1 and cmd.program in _TASK_RUNNERS:
        cat = task_category(words[1])  # `turbo run test`, `nx run web:deploy`
    dry = {"--dry-run", "--dry"} | ({"-n"} if cat == _P and cmd.program == "cargo" else set())
    tags = {"dry-run"} if parsed.flags.keys() & dry else set()
    if tags and cat in (_W, _D, _X, _P):
        cat = _R
    if cat in (_X, _P) and parsed.flags.keys() & {"--list", "-l"}:
        cat = _R  # `cargo owner --list`, `cargo install --list`
    if cat == _R and parsed.flags.keys() & {"--fix", "--write", "--unsafe-fixes"}:
        cat = _W
    action = key2 if key2 in table else words[0]
    return _answer(cmd, cat, action, ".", tags)


# Monorepo runners whose `run` names a task of the project.
_TASK_RUNNERS = frozenset({"turbo", "nx", "lerna", "pnpm-run", "moon"})


def _flat(cmd: Command) -> Operation:
    prog = cmd.program
    default, write_flags = _FLAT[prog]
    parsed = scan(cmd, value_flags=frozenset())
    flags = set(parsed.flags)
    if flags & {"--help", "-h", "--version", "-V"}:
        return _answer(cmd, _R, "help", ".", set())
    if default == _R:
        cat = _W if flags & write_flags else _R
        if prog == "tsc" and not flags & {"--noEmit", "--noemit"}:
            cat = _W
    elif flags & _FMT_READ_FLAGS or (prog in _FMT_PRINTS and not flags & _FMT_INPLACE):
        cat = _R
    else:
        cat = _W
    action = {"read": "check", "write": "format"}.get(cat, "run")
    return _answer(cmd, cat, action, ".", set())


def task_category(word: str) -> str:
    """What a task named `word` most likely does: `clean-build` cleans, `deploy-prod` deploys."""
    ps = set(lexicon.parts(word)) | {word.lower()}
    if ps & {
        "destroy",
        "delete",
        "drop",
        "teardown",
        "nuke",
        "purge",
        "wipe",
        "down",
        "reset",
        "uninstall",
        "remove",
        "rm",
        "truncate",
        "flush",
        "erase",
    }:
        return "clean" if ps & _CLEAN_WORDS and not ps & {"destroy", "drop", "nuke"} else "destroy"
    if ps & _CLEAN_WORDS or ps & {"prune", "cleanup"}:
        return _D
    if word == "jib" or (ps & _PUBLISH_WORDS and "local" not in ps):
        return _P  # `gradle jib` pushes the image it builds; `jibDockerBuild` does not
    if ps & _REMOTE_WORDS:
        return _W if "local" in ps else _X
    if ps & _LOCAL_WORDS:
        return _W
    if ps & _READ_WORDS:
        return _R
    return _U


# How each task runner previews: Maven has no dry run (`-ntp` is not `-n -t -p`), Gradle's is `-m`.
_DRY_FLAGS = {
    "make": frozenset({"-n", "--dry-run", "--just-print", "--recon", "--dryrun"}),
    "mvn": frozenset(),
    "mvnw": frozenset(),
    "gradle": frozenset({"-m", "--dry-run"}),
    "gradlew": frozenset({"-m", "--dry-run"}),
}


def _tasks(cmd: Command) -> list[Operation]:
    prog = cmd.program
    parsed = scan(cmd, value_flags=_TASK_VALUE_FLAGS)
    flags = parsed.flags
    helpish = flags.keys() & {"--help", "-h", "--version", "-v", "--list", "-l", "--tasks", "-p"}
    if prog in ("mvn", "mvnw"):
        helpish -= {"-l", "-p"}
    if helpish:
        return [_answer(cmd, _R, "help", ".", set())]
    names = [w for i, w in parsed.pos if "=" not in w and not cmd.is_dynamic(i)]
    env = next((w.split("=", 1)[1] for _, w in parsed.pos if w.split("=", 1)[0] in ENV_VARS), None)
    if prog in _FIRST_ONLY and names:
        names = [" ".join(names)]
    dry = bool(flags.keys() & _DRY_FLAGS.get(prog, _DRY_FLAGS["make"]))
    if not names:
        return [_answer(cmd, _R if dry else _W, "build", "default", set())]
    ops = []
    for name in names[:8]:
        cat = task_category(name.split(" ", 1)[0])
        if name.startswith(_PUBLISH_TASKS.get(prog, ())):
            cat = _P
        if dry and cat != _U:
            cat = _R
        ops.append(_answer(cmd, cat, name, name, {"dry-run"} if dry else set(), env))
    return ops
