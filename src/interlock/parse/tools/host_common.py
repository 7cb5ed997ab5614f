"""Shared pieces of the host and container analyzers: building operations and targets.

Two operation families come out of these modules: `container` (docker, podman, nerdctl,
compose, crictl, ctr, buildah, skopeo) and `host` (services, power, processes, firewalls,
packages, accounts, kernel, network links, virtual machines).

A target on the machine the command runs on carries `host=cmd.host` when the walker found it
behind `ssh`/`docker exec`; its tier is then left to the resolver. Only container objects of a
local engine are marked `local` by the analyzers themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from interlock.model import Command, Effect, Operation, Target, Tier

CONTAINER = "container"
HOST = "host"

HELP_FLAGS = frozenset({"--help", "--version", "-help", "--usage"})


def make_op(
    cmd: Command,
    family: str,
    action: str,
    effect: Effect,
    targets: Iterable[Target] = (),
    tags: Iterable[str] = (),
    summary: str = "",
) -> Operation:
    return Operation.of(cmd, family, action, effect, targets, tags, summary)


def target(
    cmd: Command, kind: str, name: str, tier: Tier = Tier.UNKNOWN, **scope: str | None
) -> Target:
    """A target on the machine `cmd` runs on; a remote `cmd.host` voids any local tier."""
    if cmd.host:
        scope.setdefault("host", cmd.host)
        tier = Tier.UNKNOWN
    return Target.make(kind, name, tier, **scope)


def read_op(cmd: Command, family: str, action: str = "read", summary: str = "") -> Operation:
    return make_op(cmd, family, action, Effect.READ, summary=summary or f"reads with {cmd.program}")


def unknown_op(cmd: Command, family: str, what: str = "") -> Operation:
    word = what or " ".join(cmd.argv[1:2]) or cmd.program
    return make_op(
        cmd, family, "unknown", Effect.UNKNOWN, summary=f"runs `{cmd.program} {word}` (unknown)"
    )


def wants_help(args: Sequence[str]) -> bool:
    """`--help`/`--version` before any `--`."""
    for a in args:
        if a == "--":
            return False
        if a in HELP_FLAGS:
            return True
    return False


def dynamic_tags(cmd: Command) -> tuple[str, ...]:
    return ("dynamic-target",) if any(i > 0 for i in cmd.dynamic) else ()


def first_positional(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """The first word not starting with `-`, and the other words in order."""
    for i, a in enumerate(args):
        if not a.startswith("-") or a == "-":
            return a, [*args[:i], *args[i + 1 :]]
    return None, list(args)


def names(items: Sequence[str], most: int = 3) -> str:
    """`a`, `b`, `c` (+2) for a summary."""
    if not items:
        return ""
    shown = ", ".join(f"`{x}`" for x in items[:most])
    return shown + (f" (+{len(items) - most})" if len(items) > most else "")


def short_flags(args: Sequence[str]) -> set[str]:
    """Every single-letter flag among `args`, bundles split (`-Rns` → R, n, s)."""
    out: set[str] = set()
    for a in args:
        if a == "--":
            break
        if len(a) >= 2 and a[0] == "-" and a[1] != "-":
            out.update(a[1:])
    return out


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (tables stay readable)."""
    return frozenset(text.split())
