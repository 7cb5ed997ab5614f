"""The values the pipeline passes along: a shell command as it would run, and the operations it
performs on targets.

`Command` is what the shell walker hands to a tool analyzer: one simple command that would
actually run, with wrappers (`sudo`, `env`, `timeout` …) already peeled off. `Operation` is what
an analyzer answers: what the command does, to what, and how much it matters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum


class Effect(str, Enum):
    """What an operation does to state. Ordered from harmless to harmful."""

    READ = "read"
    WRITE = "write"
    DESTROY = "destroy"
    UNKNOWN = "unknown"


class Tier(str, Enum):
    """How much an environment matters. `UNKNOWN` is treated with suspicion, never as local."""

    LOCAL = "local"
    DEV = "dev"
    STAGING = "staging"
    PROD = "prod"
    UNKNOWN = "unknown"


TIER_RANK = {Tier.LOCAL: 0, Tier.DEV: 1, Tier.UNKNOWN: 2, Tier.STAGING: 3, Tier.PROD: 4}


@dataclass(frozen=True, slots=True)
class Command:
    """One simple command that would run.

    `argv[0]` is the program as written (after wrappers are peeled); `program` is its base name
    without a path or a leading backslash. `dynamic` holds the indices of words whose value is
    not known statically (they keep their source text, e.g. `$DIR/x`). `env` holds the variables
    the command sees that the script itself set (leading `VAR=value`, `export`, `env VAR=x`) plus
    those the caller passed. `stdin` is text known to be fed to the command (heredoc,
    here-string, `echo … |`); `stdin_piped` says it reads from another command's output.
    `host` names the remote or container the command runs on (`ssh host`, `docker exec c`,
    `kubectl exec pod`), `via` the wrappers and shells it was found through, `cwd` a directory
    changed into earlier in the same line (`cd infra && …`).
    """

    argv: tuple[str, ...]
    dynamic: frozenset[int] = frozenset()
    env: tuple[tuple[str, str], ...] = ()
    redirects: tuple[tuple[str, str], ...] = ()
    stdin: str | None = None
    stdin_piped: bool = False
    host: str | None = None
    via: tuple[str, ...] = ()
    cwd: str | None = None
    text: str = ""

    @property
    def program(self) -> str:
        return program_name(self.argv[0]) if self.argv else ""

    @property
    def args(self) -> tuple[str, ...]:
        return self.argv[1:]

    def getenv(self, name: str) -> str | None:
        for key, value in reversed(self.env):
            if key == name:
                return value
        return None

    def is_dynamic(self, index: int) -> bool:
        """True when argv[index] is not known statically (index counts from argv[0])."""
        return index in self.dynamic

    def shifted(self, drop: int, via: str | None = None) -> Command:
        """The same command with its first `drop` words removed (a wrapper peeled off)."""
        dyn = frozenset(i - drop for i in self.dynamic if i >= drop)
        return replace(
            self,
            argv=self.argv[drop:],
            dynamic=dyn,
            via=self.via + ((via,) if via else ()),
        )


def program_name(word: str) -> str:
    name = word.rsplit("/", 1)[-1]
    return name.lstrip("\\")


@dataclass(frozen=True, slots=True)
class Target:
    """Something an operation acts on: a path, a namespace, a bucket, a branch, a table…

    `scope` locates it (`context`, `namespace`, `profile`, `region`, `account`, `project`,
    `workspace`, `host`, `database`, `remote`, `branch`, `url`) as sorted (key, value) pairs.
    `tier` is filled in by resolution.
    """

    kind: str
    name: str
    scope: tuple[tuple[str, str], ...] = ()
    tier: Tier = Tier.UNKNOWN

    @classmethod
    def make(cls, kind: str, name: str, tier: Tier = Tier.UNKNOWN, **scope: str | None) -> Target:
        pairs = tuple(sorted((k, v) for k, v in scope.items() if v))
        return cls(kind=kind, name=name, scope=pairs, tier=tier)

    def get(self, key: str) -> str | None:
        for k, v in self.scope:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Operation:
    """What one command does.

    `family` is the tool family (`kubernetes`, `filesystem`, `git`, `iac`, `aws`, `database`, …),
    `action` the verb that matters (`delete`, `apply`, `drop`, `push`), `effect` its class,
    `targets` what it touches and `tags` facts rules match on (`recursive`, `force`, `all`,
    `auto-approve`, `no-where`, `dry-run`, `root-path` …). `summary` is a short human phrase
    ("deletes namespace `payments`"). `program` and `text` say where it came from.
    """

    family: str
    action: str
    effect: Effect
    program: str
    targets: tuple[Target, ...] = ()
    tags: frozenset[str] = field(default_factory=frozenset)
    summary: str = ""
    text: str = ""
    via: tuple[str, ...] = ()

    @property
    def tier(self) -> Tier:
        """The most important tier among the targets (UNKNOWN when there are none)."""
        if not self.targets:
            return Tier.UNKNOWN
        return max((t.tier for t in self.targets), key=TIER_RANK.__getitem__)

    @classmethod
    def of(
        cls,
        cmd: Command,
        family: str,
        action: str,
        effect: Effect,
        targets: Iterable[Target] = (),
        tags: Iterable[str] = (),
        summary: str = "",
    ) -> Operation:
        """The operation `cmd` performs: program, text and wrappers come from the command."""
        return cls(
            family=family,
            action=action,
            effect=effect,
            program=cmd.program,
            targets=tuple(targets),
            tags=frozenset(tags),
            summary=summary,
            text=cmd.text,
            via=cmd.via,
        )

    def with_tags(self, *tags: str) -> Operation:
        return replace(self, tags=self.tags | frozenset(tags))
