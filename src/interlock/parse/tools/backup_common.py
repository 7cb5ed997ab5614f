"""Shared pieces of the backup analyzers: the repository a tool works on, where a restore
writes, and one operation builder.

Every operation is family `backup`. The repository is a target of kind `repository` named as
written (`s3:s3.amazonaws.com/bk/prod`, `ssh://bk@host/./repo`, a stanza), so the resolver's
name heuristics see `prod` in it; a relative path or one under `/tmp` is local. A restore
targets the directory it writes into as well: restoring over `/`, an OS directory or a home
directory overwrites live data and is tagged `in-place`.
"""

from __future__ import annotations

from dataclasses import dataclass

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.tools import fs_paths

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN
FAMILY = "backup"
# Where a restore overwrites files something is running from.
_LIVE = frozenset(
    {"root-path", "system-path", "system-file", "critical-file", "home-path", "credential-path"}
)
_DYNAMIC = ("$", "`")


@dataclass(frozen=True, slots=True)
class Spec:
    """One subcommand: the action reported, its effect, and the kind of object it touches."""

    action: str
    effect: Effect
    kind: str = "repository"


def op(
    cmd: Command,
    action: str,
    effect: Effect,
    targets: list[Target] | tuple[Target, ...],
    tags: set[str] | frozenset[str] = frozenset(),
    summary: str = "",
) -> Operation:
    return Operation.of(
        cmd, FAMILY, action, effect, targets, tags, summary or f"`{cmd.program} {action}`"
    )


def repo(cmd: Command, name: str | None, kind: str = "repository", **scope: str | None) -> Target:
    """The repository (or stanza, server, bucket) a command works on."""
    name = (name or "").strip()
    host = scope.pop("host", None) or cmd.host
    tier = Tier.UNKNOWN
    if kind == "repository" and not host and _local_path(name):
        tier = Tier.LOCAL
    return Target.make(kind, name or "configured", tier=tier, host=host, **scope)


def _local_path(name: str) -> bool:
    path = name.removeprefix("local:").removeprefix("file://")
    if any(m in path for m in _DYNAMIC) or ":" in path.split("/", 1)[0]:
        return False
    if not path.startswith((".", "/")) and "/" not in path:
        return False  # a bare word is a configured name, not a directory
    info = fs_paths.classify(path)
    return info.local and not info.tags


def restore(
    cmd: Command,
    source: Target,
    dest: str | None,
    clobber: bool = False,
    action: str = "restore",
    what: str = "a backup",
) -> Operation:
    """A restore of `source` into `dest` (None: the working directory). Writing over live
    files is a destroy; `clobber` (`--delete`, `--overwrite`, `--force`) makes any
    non-local destination one too."""
    if dest in (None, "", ".", "./"):
        dest = None
        info = fs_paths.classify(cmd.cwd, cmd) if cmd.cwd else fs_paths.PathInfo(".", local=True)
    else:
        info = fs_paths.classify(dest, cmd)
    live = bool(info.tags & _LIVE)
    tags = set(info.tags & (_LIVE | {"dynamic-target"}))
    effect = D if live or (clobber and not info.local) or (clobber and dest is None) else W
    if live:
        tags.add("in-place")
    if clobber:
        tags.add("force")
    where = info.name if dest is not None else "the working directory"
    return op(
        cmd,
        action,
        effect,
        [source, info.target(cmd.host)],
        tags,
        f"restores {what} into `{where}`" + (" over live files" if live else ""),
    )


def dry(cmd: Command, action: str, source: Target, summary: str = "") -> Operation:
    return op(cmd, action, R, [source], {"dry-run"}, summary or f"shows what `{action}` would do")


def from_spec(
    cmd: Command,
    spec: Spec,
    target: Target,
    tags: set[str] | frozenset[str] = frozenset(),
    summary: str = "",
) -> Operation:
    verb = {R: "reads", W: "changes", D: "deletes from", U: "runs"}[spec.effect]
    text = summary or f"`{cmd.program} {spec.action}` {verb} {target.kind} `{target.name}`"
    return op(cmd, spec.action, spec.effect, [target], tags, text)


def help_op(cmd: Command, source: Target) -> Operation:
    return op(cmd, "help", R, [source], frozenset(), f"shows help for `{cmd.program}`")


HELP = frozenset({"--help", "-h", "help", "--version", "-V", "version", "--usage"})


def wants_help(args: tuple[str, ...] | list[str]) -> bool:
    return bool(args) and (args[0] in HELP or "--help" in args or "-h" in args[-1:])
