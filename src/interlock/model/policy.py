"""Who is acting, when, and what the environment looks like: the request context that policy
layers decide on. All values; the clock is passed in as `now`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from fnmatch import fnmatchcase

from interlock.model.action import Operation


@dataclass(frozen=True, slots=True)
class Principal:
    """An agent is a principal of its own (`agent:deploy-bot`), launched by a human or service.
    It never inherits the launcher's roles."""

    id: str
    launched_by: str | None = None


@dataclass(frozen=True, slots=True)
class Grant:
    """What an agent may do. `None` in a set means "any". `targets` are globs over
    `kind:name` (e.g. `namespace:payments`, `path:./*`)."""

    name: str
    tiers: frozenset[str] | None = None
    programs: frozenset[str] | None = None
    actions: frozenset[str] | None = None
    effects: frozenset[str] | None = None
    targets: tuple[str, ...] = ()
    expires: datetime | None = None

    def expired(self, now: datetime) -> bool:
        return self.expires is not None and now >= self.expires

    def covers(self, op: Operation) -> bool:
        if self.effects is not None and op.effect.value not in self.effects:
            return False
        if self.programs is not None and op.program not in self.programs:
            return False
        if self.actions is not None and op.action not in self.actions:
            return False
        if self.tiers is not None and any(t.tier.value not in self.tiers for t in op.targets):
            return False
        if self.tiers is not None and not op.targets and "unknown" not in self.tiers:
            return op.effect.value == "read"
        if self.targets:
            return all(
                any(fnmatchcase(f"{t.kind}:{t.name}", p) for p in self.targets) for t in op.targets
            )
        return True


@dataclass(frozen=True, slots=True)
class Affected:
    """One resource a simulation found, as a reason names it: `db-instance `ledger-prod` (prod)`."""

    kind: str
    name: str
    tier: str = "unknown"

    def label(self) -> str:
        return f"{self.kind} `{self.name}` ({self.tier})"


@dataclass(frozen=True, slots=True)
class Impact:
    """What a simulation found (zeros when none ran). `simulated` says whether one did.

    `tiers` are the tiers of the resources deleted, replaced or changed, as the inventory
    knows them; `lost` the stateful ones deleted or replaced without a backup, `roots` the
    environment roots deleted or replaced. A policy test case gives counts only, so these may be empty when the counts are not."""

    deleted: int = 0
    services_impaired: int = 0
    data_without_backup: int = 0
    restore_minutes: int = 0
    simulated: bool = False
    digest: str = ""
    env_root_teardown: bool = False
    tiers: frozenset[str] = frozenset()
    lost: tuple[Affected, ...] = ()
    roots: tuple[Affected, ...] = ()


@dataclass(frozen=True, slots=True)
class KillSwitch:
    """Stop one agent (`scope="agent"`), every agent (`"all"`) or every agent against one tier
    (`"env"`)."""

    scope: str
    value: str = ""
    reason: str = ""
    set_by: str = ""
    at: str = ""

    def stops(self, agent: Principal | None, tiers: frozenset[str]) -> bool:
        match self.scope:
            case "all":
                return True
            case "agent":
                return agent is not None and agent.id == self.value
            case "env":
                return self.value in tiers
            case _:
                return True  # an unknown scope stops everything: fail closed


@dataclass(frozen=True, slots=True)
class History:
    """Recent destructive operations by this agent inside the volume-limit window."""

    destructive_ops: int = 0
    fleet_touched: int = 0
    fleet_size: int = 0


@dataclass(frozen=True, slots=True)
class Request:
    """Everything about a check besides the operations: who, when, and known facts."""

    now: datetime
    agent: Principal | None = None
    impact: Impact = field(default_factory=Impact)
    history: History = field(default_factory=History)
    kill: tuple[KillSwitch, ...] = ()
    protected_paths: tuple[str, ...] = ()  # this installation's policy and data directories
