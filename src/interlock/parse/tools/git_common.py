"""Shared pieces of the git family: protected branches, local targets, building operations.

A `Call` is one git subcommand with git's global options already read (`-C`, `-c`, `--git-dir`
…); the subcommand handlers in `git_local`, `git_refs`, `git_misc` and `git_push` take a
`Call` and answer operations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context

FAMILY = "git"


def words(text: str) -> tuple[str, ...]:
    """A table of flags or names written as one space-separated string."""
    return tuple(text.split())


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Branches a force-push or delete must never touch. `develop`/`stable` are protected in
# git-flow shops even though the resolver does not rank them prod.
_PROTECTED = wordset("main master trunk production prod live stable develop development release")
_PROTECTED_PREFIXES = ("release/", "releases/", "release-", "prod/", "production/", "stable/")
_SHORTEN = ("refs/heads/", "heads/")
WHOLE_TREE = frozenset({".", "./", ":/", ":/*", ":(top)", "*", "./*", ":"})


def short_ref(ref: str) -> str:
    """`refs/heads/main` → `main`."""
    for prefix in _SHORTEN:
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


def is_protected(branch: str) -> bool:
    name = short_ref(branch).lower()
    return name in _PROTECTED or name.startswith(_PROTECTED_PREFIXES)


def make_op(
    cmd: Command,
    action: str,
    effect: Effect,
    targets: Iterable[Target] = (),
    tags: Iterable[str] = (),
    summary: str = "",
) -> Operation:
    return Operation.of(cmd, FAMILY, action, effect, targets, tags, summary)


def expand_long(opts: dict[str, list[str]], known: Iterable[str]) -> dict[str, list[str]]:
    """Resolve unambiguous abbreviations of long options (`--forc` → `--force`), as git does."""
    known_set = frozenset(known)
    out: dict[str, list[str]] = {}
    for name, vals in opts.items():
        full = name
        if name.startswith("--") and name not in known_set and len(name) > 3:
            matches = [k for k in known_set if k.startswith(name)]
            if len(matches) == 1:
                full = matches[0]
        out.setdefault(full, []).extend(vals)
    return out


def parse(
    args: Iterable[str],
    takes: Iterable[str] = (),
    known: Iterable[str] = (),
    bundle: bool = True,
) -> Args:
    """`parse_args` plus git's long-option abbreviations."""
    a = parse_args(list(args), takes_value=frozenset(takes), bundle=bundle)
    if known:
        a.opts = expand_long(a.opts, known)
    return a


@dataclass(frozen=True, slots=True)
class Call:
    """One git subcommand call. `start` is the index in `cmd.argv` of `args[0]`."""

    cmd: Command
    ctx: Context
    sub: str
    args: tuple[str, ...]
    start: int
    workdir: str = "."
    config: tuple[tuple[str, str], ...] = ()

    def dynamic_arg(self, value: str) -> bool:
        """True when `value` (one of `args`) is not known statically."""
        for j, a in enumerate(self.args):
            if a == value and self.cmd.is_dynamic(self.start + j):
                return True
        return "$" in value or "`" in value

    def conf(self, key: str) -> str | None:
        for k, v in reversed(self.config):
            if k == key:
                return v
        return None

    def op(
        self,
        action: str,
        effect: Effect,
        targets: Iterable[Target] = (),
        tags: Iterable[str] = (),
        summary: str = "",
    ) -> Operation:
        return make_op(self.cmd, action, effect, targets, tags, summary)

    def local(self, kind: str = "worktree", name: str | None = None) -> Target:
        """A target on this machine (or on `cmd.host` when the command runs remotely)."""
        label = name or self.workdir
        if self.cmd.host:
            return Target.make(kind, label, host=self.cmd.host)
        return Target.make(kind, label, tier=Tier.LOCAL)

    def paths(self, items: Iterable[str]) -> list[Target]:
        return [self.local("path", p) for p in items] or [self.local()]


def whole_tree(paths: Iterable[str]) -> bool:
    return any(p in WHOLE_TREE for p in paths)


def dyn_tags(call: Call, values: Iterable[str]) -> set[str]:
    return {"dynamic-target"} if any(call.dynamic_arg(v) for v in values) else set()
